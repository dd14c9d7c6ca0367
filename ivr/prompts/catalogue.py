"""The prompt catalogues: config/prompts/<lang>.toml, key -> text, Hindi first."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from models.core.settings import ROOT

log = logging.getLogger(__name__)

CATALOGUE_DIR = ROOT / "config" / "prompts"
LANGUAGES = ("hi", "en")
VOICES = {"hi": "hi", "en": "en"}  # espeak-ng voices


def load_catalogue(lang: str, directory: Path = CATALOGUE_DIR) -> dict[str, str]:
    """The key -> text table of one language."""
    with (directory / f"{lang}.toml").open("rb") as fh:
        table = tomllib.load(fh)
    bad = [k for k, v in table.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise ValueError(f"{lang}.toml: prompts must be non-empty text: {', '.join(bad)}")
    return table


def load_all(directory: Path = CATALOGUE_DIR) -> dict[str, dict[str, str]]:
    """Every language's catalogue that exists in `directory`."""
    return {lang: load_catalogue(lang, directory) for lang in LANGUAGES
            if (directory / f"{lang}.toml").exists()}
