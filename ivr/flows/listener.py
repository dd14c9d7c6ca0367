"""The seam for speech (ivr/speech): what the call flows ask of a recogniser, if one is given."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Listener(Protocol):
    """Recognises what a caller said in a short recording (8 kHz WAV as Asterisk wrote it)."""

    async def recognise_district(self, path: Path, *, language: str,
                                 districts: list[tuple[str, str, str]]) -> str | None:
        """The district code heard in `path`, from (code, name_hi, name_en) choices, or None."""
        ...
