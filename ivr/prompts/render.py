"""Turn text (espeak-ng) or a recorded file into 8 kHz mono 16-bit WAV that Asterisk plays."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

RATE = 8000
SOX_OUT = ["-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer"]


class PromptToolsMissing(RuntimeError):
    """espeak-ng or sox is not installed."""


def require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise PromptToolsMissing(
            f"{' and '.join(missing)} not found: install with `apt-get install espeak-ng sox` "
            "(scripts/install-system-packages.sh does it when run as root)")


def synthesise(text: str, voice: str, dest: Path) -> None:
    """Speak `text` with espeak-ng's `voice` into `dest` (8 kHz WAV)."""
    with tempfile.TemporaryDirectory(prefix="prompt-") as tmp:
        raw = Path(tmp) / "raw.wav"
        _run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), "--", text])
        convert(raw, dest)


def convert(source: Path, dest: Path) -> None:
    """Resample any audio file sox reads into `dest` (8 kHz mono 16-bit WAV), atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial.wav")
    _run(["sox", str(source), *SOX_OUT, str(partial)])
    os.replace(partial, dest)


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
