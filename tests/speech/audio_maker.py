"""Real speech for the tests: espeak-ng in the test model's language, made into 8 kHz phone audio."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

VOICE = "ko+m1"  # the espeak-ng Korean voice the small Korean model hears best (measured)
SPEED = 150
INSTALL_HINT = "apt-get install espeak-ng sox (scripts/install-system-packages.sh installs them)"


def require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"speech tests need {', '.join(missing)}: {INSTALL_HINT}", pytrace=False)


def speak_8k(text: str, *, voice: str = VOICE, speed: int = SPEED) -> np.ndarray:
    """espeak-ng speech resampled by sox to 8 kHz 16-bit mono, as int16 samples.

    The same on every run: sox's -D leaves out the random dither it would add by default."""
    require_tools()
    espeak = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
                            capture_output=True, check=True)
    sox = subprocess.run(["sox", "-D", "-t", "wav", "-", "-t", "raw", "-r", "8000", "-c", "1",
                          "-b", "16", "-e", "signed-integer", "-"], input=espeak.stdout,
                         capture_output=True, check=True)
    return np.frombuffer(sox.stdout, dtype="<i2")


def phone_line(samples: np.ndarray, *, pad_seconds: float = 0.3, noise: float = 30.0,
               seed: int = 0) -> np.ndarray:
    """Silence either side and a little line noise, as a caller's utterance arrives."""
    pad = np.zeros(int(8000 * pad_seconds), dtype=np.float64)
    signal = np.concatenate([pad, samples.astype(np.float64), pad])
    signal += np.random.default_rng(seed).normal(0.0, noise, len(signal))
    return np.clip(signal, -32768, 32767).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, *, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype("<i2").tobytes())
    return path
