"""Recognise a whole recording or buffer: free-form, or against a word list."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ivr.speech.audio import load_for_model
from ivr.speech.decoder import Decoder
from ivr.speech.grammar import WordList
from ivr.speech.model import SpeechModel
from ivr.speech.shared import get_model
from ivr.speech.transcript import Transcript

log = logging.getLogger(__name__)

CHUNK_SECONDS = 0.2


def recognise_samples(samples: np.ndarray, *, model: SpeechModel | None = None,
                      word_list: WordList | None = None, strict: bool = True,
                      chunk_seconds: float = CHUNK_SECONDS) -> Transcript:
    """int16 samples at the model's rate, fed in chunks as a phone line would deliver them."""
    model = model or get_model()
    decoder = Decoder(model=model, word_list=word_list, strict=strict)
    step = max(1, int(model.sample_rate * chunk_seconds))
    for at in range(0, len(samples), step):
        decoder.feed(samples[at:at + step])
    return decoder.finish()


def recognise_file(path: Path, *, model: SpeechModel | None = None,
                   word_list: WordList | None = None, strict: bool = True,
                   chunk_seconds: float = CHUNK_SECONDS) -> Transcript:
    """A WAV/slin recording (8 kHz telephone audio is resampled to the model's rate)."""
    model = model or get_model()
    samples = load_for_model(Path(path), model_rate=model.sample_rate)
    transcript = recognise_samples(samples, model=model, word_list=word_list, strict=strict,
                                   chunk_seconds=chunk_seconds)
    log.debug("recognised %s: %r (confidence %s, RTF %.3f)", path, transcript.text,
              transcript.confidence, transcript.real_time_factor)
    return transcript
