"""The process's one model: loaded lazily under a lock, its state reported for /healthz."""

from __future__ import annotations

import logging
import threading

from ivr.speech.errors import SpeechUnavailable
from ivr.speech.model import (
    SpeechModel,
    check_model_folder,
    default_model_path,
    load_model,
)
from ivr.speech.tuning import apply_env_tuning

log = logging.getLogger(__name__)

_lock = threading.Lock()
_model: SpeechModel | None = None
_error: SpeechUnavailable | None = None


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
                _model = load_model(apply_env_tuning(default_model_path()))
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
        path = default_model_path()
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
        return str(default_model_path())
    except SpeechUnavailable:
        return None
