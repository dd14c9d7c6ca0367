"""The speech errors callers can act on: no model (go keypad-only), words the model cannot hear."""

from __future__ import annotations


class SpeechUnavailable(RuntimeError):
    """No usable Vosk model: the IVR runs on the keypad only."""


class MissingWords(ValueError):
    """A word list names words the model's vocabulary lacks; Vosk would drop them silently."""

    def __init__(self, words: list[str], *, list_name: str = "") -> None:
        self.words = words
        self.list_name = list_name
        where = f" in word list {list_name!r}" if list_name else ""
        super().__init__(f"{len(words)} word(s){where} missing from the model vocabulary: "
                         + ", ".join(words))
