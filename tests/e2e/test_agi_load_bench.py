"""A smoke run of scripts/bench/agi_load.py at a tiny size, so it does not rot: simulated calls on
this checkout's FastAGI server and on HEAD's (`--against`), the per-call AGI baseline, and two real
calls through the local Asterisk into a fresh IVR. It runs end to end and writes only its own
section of a PERFORMANCE.md; no figure is judged (speed is the benchmark's business)."""

from __future__ import annotations

import re

import pytest

from scripts.bench import agi_load

FIGURES = r"\*\*\d+\.\d\d / \d+\.\d\d\*\*"


@pytest.mark.slow
def test_agi_load_smoke_with_real_asterisk_calls(asterisk_settings, prompts_built, tmp_path, capsys):
    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text("# Performance\n\n## FastAGI server\n\nold figures\n\n## Speech (Vosk)\n\nkept\n")
    assert agi_load.main(["--levels", "2", "--baseline-levels", "1", "--repeat", "1", "--think", "0.05",
                          "--setup-calls", "4", "--baseline-setup-calls", "1", "--against", "HEAD",
                          "--asterisk-calls", "2", "--asterisk-ramp", "1", "--write", str(doc)]) == 0
    text = doc.read_text()
    assert "old figures" not in text and text.endswith("## Speech (Vosk)\n\nkept\n")
    assert re.search(rf"\| 2 \| FastAGI \| 2/2 \| {FIGURES} \| [\d.]+ / [\d.]+ \| \d+\.\d\d \| \d+\.\d\d \|", text)
    assert re.search(rf"\| 2 \| FastAGI at [0-9a-f]+ \(before\) \| 2/2 \| {FIGURES} \|", text)
    assert re.search(rf"\| 1 \| per-call AGI \| 1/1 \| {FIGURES} \| n/a \|", text)
    # Both real calls were answered and each left a finished call record with its draft.
    assert re.search(r"\| 2 \| 2 \| 2 \| \d+\.\d \| \d+\.\d \(\d+\.\d; background \d+ ms/s\) \| \d+\.\d \|", text)
    assert "after against before: p99 as Asterisk sees it" in text
    assert "load average" in text and "--asterisk-calls 2" in text
    assert "RealCalls(" in capsys.readouterr().out
