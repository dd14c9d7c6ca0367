"""One utterance through one Vosk recogniser: feed int16 samples at the model rate, then finish."""

from __future__ import annotations

import json
import logging
import time

import numpy as np

from ivr.speech.grammar import WordList, grammar_json
from ivr.speech.model import SpeechModel
from ivr.speech.transcript import Transcript, Word, words_from_vosk

log = logging.getLogger(__name__)


class Decoder:
    """A recogniser per utterance, free-form or restricted to a word list (grammar mode)."""

    def __init__(self, *, model: SpeechModel, word_list: WordList | None = None,
                 strict: bool = True) -> None:
        import vosk

        self.model = model
        self.word_list = word_list
        if word_list is None:
            self._rec = vosk.KaldiRecognizer(model.vosk, model.sample_rate)
        else:
            grammar = grammar_json(word_list, model=model, strict=strict)
            self._rec = vosk.KaldiRecognizer(model.vosk, model.sample_rate, grammar)
        self._rec.SetWords(True)
        self._words: list[Word] = []
        self._samples = 0
        self._busy = 0.0

    def feed(self, samples: np.ndarray) -> None:
        """Decode a chunk; finished segments (at Vosk's endpoints) are kept."""
        if not len(samples):
            return
        started = time.perf_counter()
        if self._rec.AcceptWaveform(np.ascontiguousarray(samples, dtype="<i2").tobytes()):
            self._words.extend(words_from_vosk(self._rec.Result()))
        self._samples += len(samples)
        self._busy += time.perf_counter() - started

    def partial_text(self) -> str:
        """Text heard so far, including the segment in progress."""
        partial = json.loads(self._rec.PartialResult()).get("partial", "")
        return " ".join([*(w.word for w in self._words), partial]).strip()

    def finish(self) -> Transcript:
        """Flush the recogniser and return the whole utterance."""
        started = time.perf_counter()
        self._words.extend(words_from_vosk(self._rec.FinalResult()))
        self._busy += time.perf_counter() - started
        words = [w for w in self._words if w.word != self.model.unknown_token]
        text = " ".join(w.word for w in words)
        key = self.word_list.key_for(text) if self.word_list is not None else None
        return Transcript(text=text, words=tuple(words), key=key,
                          audio_seconds=self._samples / self.model.sample_rate,
                          decode_seconds=self._busy)
