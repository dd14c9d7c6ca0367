"""The caller's number as the helpline files it: 10 digits, or None when withheld or unusable."""

from __future__ import annotations

from models.complaints.intake import InvalidField, normalise_mobile

# What networks put where the number should be when it is withheld or unknown.
WITHHELD = {"", "anonymous", "unknown", "unavailable", "restricted", "private", "withheld"}


def caller_number(raw: str | None) -> str | None:
    """The 10-digit Indian number from what the network or the keypad gave (+91…, 91…, 0…)."""
    text = (raw or "").strip().strip('"').strip()
    if text.lower() in WITHHELD:
        return None
    try:
        return normalise_mobile(text, field_name="caller")
    except InvalidField:
        return None
