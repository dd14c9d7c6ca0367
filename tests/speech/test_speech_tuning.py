"""Decoder settings other than the model's own, through a linked model folder."""

from __future__ import annotations

from ivr.speech import load_model
from ivr.speech.tuning import parse_settings, tuned_folder


def test_settings_are_parsed():
    assert parse_settings(" --max-active=1000, beam=8.0 ,") == {"max-active": "1000", "beam": "8.0"}


def test_tuned_folder_overrides_only_the_named_settings_and_loads(model, tmp_path):
    folder = tuned_folder(model.path, {"max-active": "500", "beam": "8.0"}, under=tmp_path)
    conf = (folder / "conf" / "model.conf").read_text().splitlines()
    assert "--max-active=500" in conf and "--beam=8.0" in conf and "--max-active=3000" not in conf
    assert "--lattice-beam=2.0" in conf
    assert tuned_folder(model.path, {"beam": "8.0", "max-active": "500"}, under=tmp_path) == folder
    tuned = load_model(folder)
    assert tuned.sample_rate == model.sample_rate and tuned.has_word("삼")
