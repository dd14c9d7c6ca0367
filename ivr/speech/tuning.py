"""Decoder settings (beam, max-active, lattice-beam) other than the model's own conf/model.conf.

Vosk reads them only from the model folder, so a tuned folder is made under var/vosk: it links the
model's files and carries its own conf/. Set HELPLINE_VOSK_DECODER="max-active=1000,beam=8"
(settings.vosk_decoder; ivr.speech.shared applies it).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)


def parse_settings(text: str) -> dict[str, str]:
    """"max-active=1000, beam=8" -> {"max-active": "1000", "beam": "8"}."""
    pairs = [part.strip() for part in text.split(",") if part.strip()]
    settings = dict(pair.split("=", 1) for pair in pairs)
    return {key.strip().lstrip("-"): value.strip() for key, value in settings.items()}


def tuned_folder(base: Path, settings: dict[str, str], *, under: Path) -> Path:
    """A folder linking base's files, whose conf/model.conf overrides `settings`."""
    tag = hashlib.sha1(f"{base.resolve()}{sorted(settings.items())}".encode()).hexdigest()[:10]
    folder = under / f"{base.name}-tuned-{tag}"
    if not folder.exists():
        staging = under / f".{folder.name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "conf").mkdir(parents=True)
        for part in base.iterdir():
            if part.name != "conf":
                (staging / part.name).symlink_to(part.resolve())
        for conf in (base / "conf").iterdir():
            if conf.name != "model.conf":
                shutil.copy(conf, staging / "conf" / conf.name)
        lines = (base / "conf" / "model.conf").read_text().splitlines()
        kept = [line for line in lines if line.split("=")[0].lstrip("-") not in settings]
        kept += [f"--{key}={value}" for key, value in settings.items()]
        (staging / "conf" / "model.conf").write_text("\n".join(kept) + "\n")
        staging.rename(folder)
    log.info("decoder settings %s: using %s", settings, folder)
    return folder

