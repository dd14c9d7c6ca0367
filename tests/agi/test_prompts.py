"""Prompt catalogues and `helpline prompts build` with the real espeak-ng and sox."""

from __future__ import annotations

import argparse
import csv
import shutil
import wave
from pathlib import Path

import pytest

from ivr.agi.simulator import silent_wav
from ivr.prompts.build import build_prompts
from ivr.prompts.catalogue import CATALOGUE_DIR, load_all
from models.complaints.status import ComplaintStatus
from scripts.prompts import cli


@pytest.fixture(autouse=True)
def _tools():
    missing = [t for t in ("espeak-ng", "sox") if shutil.which(t) is None]
    assert not missing, f"install {' '.join(missing)} (apt-get install espeak-ng sox)"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    d = tmp_path / "catalogue"
    d.mkdir()
    (d / "hi.toml").write_text('welcome = "मुख्यमंत्री हेल्पलाइन छत्तीसगढ़ में आपका स्वागत है।"\n'
                               'digit_7 = "सात"\n', encoding="utf-8")
    (d / "en.toml").write_text('welcome = "Welcome to the helpline."\ndigit_7 = "seven"\n')
    return d


def _wav(path: Path) -> tuple[int, int, int, int]:
    with wave.open(str(path)) as w:
        return w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()


def test_build_renders_8khz_mono_then_nothing(tmp_path, catalogue):
    out = tmp_path / "prompts"
    first = build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    assert sorted(first.rendered) == ["en/digit_7", "en/welcome", "hi/digit_7", "hi/welcome"]
    for name in first.rendered:
        rate, channels, width, frames = _wav(out / f"{name}.wav")
        assert (rate, channels, width) == (8000, 1, 2) and frames > 2000
    again = build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    assert again.rendered == [] and again.recorded == [] and again.unchanged == 4


def test_changed_text_and_missing_file_rerender(tmp_path, catalogue):
    out = tmp_path / "prompts"
    build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    before = (out / "hi/welcome.wav").read_bytes()
    (catalogue / "hi.toml").write_text('welcome = "नमस्कार, यह एक नया स्वागत संदेश है।"\ndigit_7 = "सात"\n',
                                       encoding="utf-8")
    (out / "en/digit_7.wav").unlink()
    report = build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    assert sorted(report.rendered) == ["en/digit_7", "hi/welcome"]
    assert (out / "hi/welcome.wav").read_bytes() != before


def test_recorded_file_overrides_and_is_converted(tmp_path, catalogue):
    out = tmp_path / "prompts"
    build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    recorded = catalogue / "recorded" / "hi" / "welcome.wav"
    recorded.parent.mkdir(parents=True)
    with wave.open(str(recorded), "wb") as w:  # a studio take: 16 kHz stereo
        w.setnchannels(2), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\x10\x00\x20\x00" * 16000)
    report = build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    assert report.recorded == ["hi/welcome"] and report.rendered == []
    assert _wav(out / "hi/welcome.wav") == (8000, 1, 2, 8000)
    assert build_prompts(prompts_dir=out, catalogue_dir=catalogue).recorded == []
    recorded.write_bytes(silent_wav(2.0))
    assert build_prompts(prompts_dir=out, catalogue_dir=catalogue).recorded == ["hi/welcome"]


def test_force_rebuilds_everything(tmp_path, catalogue):
    out = tmp_path / "prompts"
    build_prompts(prompts_dir=out, catalogue_dir=catalogue)
    assert len(build_prompts(prompts_dir=out, catalogue_dir=catalogue, force=True).rendered) == 4


def test_cli_builds_into_settings_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HELPLINE_PROMPTS_DIR", str(tmp_path / "p"))
    monkeypatch.setenv("HELPLINE_SECRET_KEY", "test")
    assert cli(argparse.Namespace(action="build", force=False)) == 0
    assert "rendered" in capsys.readouterr().out
    assert _wav(tmp_path / "p/hi/welcome.wav")[0] == 8000


def test_real_catalogues_are_complete():
    tables = load_all(CATALOGUE_DIR)
    assert set(tables) == {"hi", "en"} and set(tables["hi"]) == set(tables["en"])
    hi = tables["hi"]
    assert "मुख्यमंत्री हेल्पलाइन छत्तीसगढ़" in hi["welcome"]
    rows = list(csv.DictReader(open(CATALOGUE_DIR.parent / "data" / "cg_districts.csv", encoding="utf-8")))
    assert len(rows) == 33
    for row in rows:
        assert hi[f"district_{row['code']}"] == row["name_hi"]
        assert f"division_{row['division']}" in hi
    keys = {f"digit_{d}" for d in range(10)} | {f"num_{n}" for n in range(100)} \
        | {f"month_{m}" for m in range(1, 13)} | {f"level_{n}" for n in range(1, 5)} \
        | {f"status_{s.value}" for s in ComplaintStatus}
    assert keys <= set(hi)
