"""The complaint ID: YY + a 7-digit yearly sequence + a Verhoeff check digit (10 digits).

Verhoeff's scheme (the one Aadhaar uses) catches every single-digit slip and every swap of
adjacent digits, so an ID keyed on a phone pad is rejected before any database look-up.
"""

from __future__ import annotations

import re

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2), (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

LENGTH = 10
SEQUENCE_MAX = 9_999_999


class InvalidComplaintId(ValueError):
    """The text is not a well-formed complaint ID (wrong length, characters or check digit)."""

    code = "invalid_complaint_id"


def check_digit(digits: str) -> int:
    """The Verhoeff check digit to append to `digits`."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return _INV[c]


def verhoeff_ok(digits: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def make(year: int, sequence: int) -> str:
    """The ID for the `sequence`-th complaint of `year`."""
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise ValueError(f"sequence {sequence} out of range 1..{SEQUENCE_MAX}")
    body = f"{year % 100:02d}{sequence:07d}"
    return body + str(check_digit(body))


def parse(text: str) -> str:
    """The canonical 10-digit ID from user input that may carry spaces or dashes."""
    cleaned = re.sub(r"[\s\-]", "", text or "")
    if not cleaned:
        raise InvalidComplaintId("complaint ID is empty")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise InvalidComplaintId("complaint ID must contain only digits")
    if len(cleaned) != LENGTH:
        raise InvalidComplaintId(f"complaint ID must have {LENGTH} digits, not {len(cleaned)}")
    if not verhoeff_ok(cleaned):
        raise InvalidComplaintId("complaint ID check digit does not match; please re-check the number")
    return cleaned


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidComplaintId:
        return False
    return True


def grouped(public_id: str) -> str:
    """The ID as people read it aloud: 26-0001234-5."""
    return f"{public_id[:2]}-{public_id[2:9]}-{public_id[9:]}"
