"""Closed word lists (districts, yes/no, digits) for grammar mode, checked against the model."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ivr.speech.errors import MissingWords, SpeechUnavailable
from ivr.speech.model import SpeechModel
from models.core.settings import ROOT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WordList:
    """Entries by key (a district code, "yes", "7"), each with its spoken phrases."""

    name: str
    language: str
    entries: dict[str, tuple[str, ...]]

    @property
    def phrases(self) -> list[str]:
        return [phrase for variants in self.entries.values() for phrase in variants]

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.phrases for word in phrase.split()]

    def key_for(self, text: str) -> str | None:
        """The key whose phrase is exactly this text, else None."""
        wanted = " ".join(text.split())
        return next((key for key, variants in self.entries.items() if wanted in variants), None)

    def keys_in(self, text: str) -> list[str]:
        """Keys of the phrases in a longer text, longest phrase first at each place (digit strings)."""
        words, keys, at = text.split(), [], 0
        by_phrase = {tuple(p.split()): key for key, variants in self.entries.items() for p in variants}
        longest = max((len(p) for p in by_phrase), default=1)
        while at < len(words):
            for size in range(min(longest, len(words) - at), 0, -1):
                key = by_phrase.get(tuple(words[at:at + size]))
                if key is not None:
                    keys.append(key)
                    at += size
                    break
            else:
                at += 1
        return keys


def word_lists_dir(config_dir: Path = ROOT / "config") -> Path:
    """Where the word lists are: <config_dir>/speech/<language>/<name>.json (settings.config_dir)."""
    return config_dir / "speech"


def load_word_list(name: str, *, language: str, directory: Path | None = None) -> WordList:
    """<directory>/<language>/<name>.json, by default under config/speech: {"entries": {key: [phrase, ...]}}."""
    path = (directory or word_lists_dir()) / language / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = {str(key): tuple(" ".join(p.split()) for p in phrases)
               for key, phrases in data["entries"].items()}
    return WordList(name=name, language=language, entries=entries)


def check_word_list(word_list: WordList, *, model: SpeechModel) -> list[str]:
    """The words of the list that the model cannot recognise (Vosk would drop them silently)."""
    return model.missing_words(word_list.words)


def grammar_json(word_list: WordList, *, model: SpeechModel, strict: bool = True) -> str:
    """The Vosk grammar for the list, plus the model's unknown-word token.

    Missing words raise MissingWords when strict; otherwise the phrases holding them are left
    out and the words logged as a warning (never silently dropped)."""
    if not model.supports_grammar:
        raise SpeechUnavailable(f"model {model.path} has no runtime graph (graph/HCLr.fst, Gr.fst): "
                                "grammar mode needs a small (lookahead) model")
    missing = check_word_list(word_list, model=model)
    phrases = word_list.phrases
    if missing:
        if strict:
            raise MissingWords(missing, list_name=word_list.name)
        log.warning("word list %r: left out phrases with words missing from the model: %s",
                    word_list.name, ", ".join(missing))
        phrases = [p for p in phrases if not set(p.split()) & set(missing)]
    if model.unknown_token:
        phrases = [*phrases, model.unknown_token]
    return json.dumps(phrases, ensure_ascii=False)
