"""Hands out complaint IDs: never the same number twice, also under concurrent writers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from models.complaints import complaint_id
from models.reference.calendar import to_local

# One statement, atomic on both backends: the row is created or bumped and its new value
# returned; on PostgreSQL the row lock is held until commit, so a rolled-back writer's number
# is reused and a committed one never is. SQLite serialises writers with BEGIN IMMEDIATE.
_NEXT = text(
    "INSERT INTO complaint_sequences (year, last) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last = complaint_sequences.last + 1 "
    "RETURNING last"
)


class SequenceExhausted(Exception):
    """The year's 9,999,999 complaint numbers are used up."""


def allocate(*, session: Session, at: datetime) -> str:
    """The next complaint ID for the (India-time) year of `at`."""
    year = to_local(at).year
    sequence = session.execute(_NEXT, {"year": year}).scalar_one()
    if sequence > complaint_id.SEQUENCE_MAX:
        raise SequenceExhausted(f"no complaint numbers left for {year}")
    return complaint_id.make(year, sequence)
