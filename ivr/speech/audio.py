"""Telephone audio in: WAV or raw slin at 8 kHz, resampled (soxr) to the model's rate as int16 PCM."""

from __future__ import annotations

import logging
import wave
from pathlib import Path

import numpy as np
import soxr

log = logging.getLogger(__name__)

TELEPHONE_RATE = 8000
SLIN_RATES = {".sln": 8000, ".slin": 8000, ".raw": 8000, ".sln16": 16000, ".slin16": 16000}


def read_pcm(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and their rate from a 16-bit WAV or an Asterisk slin file."""
    path = Path(path)
    if path.suffix.lower() in SLIN_RATES:
        return np.fromfile(path, dtype="<i2"), SLIN_RATES[path.suffix.lower()]
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path}: {8 * wav.getsampwidth()}-bit audio; 16-bit PCM expected")
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        channels, rate = wav.getnchannels(), wav.getframerate()
    if channels > 1:
        frames = frames.reshape(-1, channels).mean(axis=1).astype(np.int16)
    return frames, rate


def to_model_rate(samples: np.ndarray, *, rate: int, model_rate: int) -> np.ndarray:
    """Resample int16 samples with soxr (high quality, band-limited), unchanged if rates match."""
    if rate == model_rate:
        return samples
    return soxr.resample(samples, rate, model_rate, quality="HQ")


def load_for_model(path: Path, *, model_rate: int) -> np.ndarray:
    """A file's audio as int16 samples at the model's rate."""
    samples, rate = read_pcm(path)
    return to_model_rate(samples, rate=rate, model_rate=model_rate)


class StreamResampler:
    """Chunk-by-chunk resampling for audio that arrives while it is recorded."""

    def __init__(self, *, rate: int, model_rate: int) -> None:
        self._stream = None if rate == model_rate else soxr.ResampleStream(
            rate, model_rate, 1, dtype="int16", quality="HQ")

    def feed(self, samples: np.ndarray, *, last: bool = False) -> np.ndarray:
        """Resampled output for this chunk; `last` flushes the filter's tail."""
        if self._stream is None:
            return samples
        return self._stream.resample_chunk(samples, last=last)
