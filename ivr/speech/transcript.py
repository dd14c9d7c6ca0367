"""What recognition returns: the text, each word with its time and confidence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    conf: float


@dataclass(frozen=True)
class Transcript:
    """Recognised text; `confidence` is the mean word confidence (None when nothing was heard)."""

    text: str
    words: tuple[Word, ...] = ()
    audio_seconds: float = 0.0
    decode_seconds: float = 0.0
    key: str | None = field(default=None)  # grammar mode: the word list entry the text matched

    @property
    def confidence(self) -> float | None:
        if not self.words:
            return None
        return sum(w.conf for w in self.words) / len(self.words)

    @property
    def min_confidence(self) -> float | None:
        return min((w.conf for w in self.words), default=None)

    def confident_key(self, threshold: float = 0.5) -> str | None:
        """The grammar key when every word was heard with at least `threshold`, else None."""
        if self.key is None or (self.min_confidence or 0.0) < threshold:
            return None
        return self.key

    @property
    def real_time_factor(self) -> float:
        return self.decode_seconds / self.audio_seconds if self.audio_seconds else 0.0

    def as_dict(self) -> dict:
        """JSON-ready, for call steps and logs."""
        return {"text": self.text, "confidence": self.confidence, "key": self.key,
                "words": [w.__dict__ for w in self.words], "audio_seconds": self.audio_seconds}


def words_from_vosk(result_json: str) -> list[Word]:
    """The words of one Vosk Result()/FinalResult() JSON (SetWords(True))."""
    result = json.loads(result_json)
    return [Word(word=w["word"], start=float(w["start"]), end=float(w["end"]), conf=float(w["conf"]))
            for w in result.get("result", [])]
