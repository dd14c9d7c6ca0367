"""The call flows' Listener (ivr/flows/listener.py) on Vosk grammar mode, off the event loop."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from ivr.speech.errors import SpeechUnavailable
from ivr.speech.grammar import WordList, check_word_list, load_word_list, word_lists_dir
from ivr.speech.recognise import recognise_file
from ivr.speech.shared import get_model

log = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.5


class VoskListener:
    """District and yes/no by voice; None (so the keypad is used) when unsure or without a model."""

    def __init__(self, *, min_confidence: float = MIN_CONFIDENCE, directory: Path | None = None,
                 word_lists: dict[tuple[str, str], WordList] | None = None) -> None:
        self.min_confidence = min_confidence
        self.directory = directory or word_lists_dir()  # word_lists_dir(settings.config_dir)
        self._lists: dict[tuple[str, str], WordList] = dict(word_lists or {})

    def word_list(self, name: str, *, language: str,
                  fallback: dict[str, tuple[str, ...]] | None = None) -> WordList | None:
        """<directory>/<language>/<name>.json (or a list built from `fallback`), checked once."""
        key = (language, name)
        if key not in self._lists:
            if (self.directory / language / f"{name}.json").exists():
                word_list = load_word_list(name, language=language, directory=self.directory)
            elif fallback:
                word_list = WordList(name=name, language=language, entries=fallback)
            else:
                return None
            missing = check_word_list(word_list, model=get_model())
            if missing:
                log.warning("word list %s/%s: %d word(s) missing from the model, their phrases "
                            "are left out: %s", language, name, len(missing), " ".join(missing))
            self._lists[key] = word_list
        return self._lists[key]

    async def recognise_district(self, path: Path, *, language: str,
                                 districts: list[tuple[str, str, str]]) -> str | None:
        """The district code heard in `path`, from (code, name_hi, name_en) choices, or None."""
        fallback = {code: (" ".join(name_hi.replace("-", " ").split()),) for code, name_hi, _ in districts}
        return await self._hear(path, "districts", language, fallback)

    async def recognise_yes_no(self, path: Path, *, language: str) -> str | None:
        """"yes", "no", or None."""
        return await self._hear(path, "yes_no", language, None)

    async def _hear(self, path: Path, name: str, language: str,
                    fallback: dict[str, tuple[str, ...]] | None) -> str | None:
        try:
            word_list = self.word_list(name, language=language, fallback=fallback)
            if word_list is None:
                return None
            transcript = await asyncio.to_thread(recognise_file, Path(path), word_list=word_list,
                                                 strict=False)
        except (SpeechUnavailable, FileNotFoundError) as exc:
            log.warning("no speech result for %s, keypad instead: %s", path, exc)
            return None
        key = transcript.confident_key(self.min_confidence)
        log.info("heard %r in %s (%s, confidence %s) -> %s", transcript.text, path, name,
                 transcript.min_confidence, key)
        return key
