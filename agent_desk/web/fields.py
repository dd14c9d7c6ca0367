"""Form values the desk reads itself before the domain sees them: dates typed as 2026-11-28."""

from __future__ import annotations

from datetime import date

from models.complaints.intake import InvalidField


def form_date(name: str, raw: str | None, *, required: bool = False) -> date | None:
    """The date in field `name`, or None when it is empty; InvalidField names a bad or missing one."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise InvalidField(name, "a date is required", code="required")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidField(name, "use a date like 2026-11-28", code="invalid") from None
