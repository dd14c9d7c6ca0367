"""Holidays an admin adds on screen, on top of the gazetted ones in config/calendar.toml; due
times are counted on the calendar that merges both (`working_calendar`)."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import Date, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base
from models.reference.calendar import WorkingCalendar, default_calendar


class Holiday(Base):
    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


def working_calendar(*, session: Session) -> WorkingCalendar:
    """The configured calendar with the holidays added on screen."""
    base = default_calendar()
    added = {row.day: row.name for row in session.scalars(select(Holiday))}
    if not added:
        return base
    return dataclasses.replace(base, holidays={**base.holidays, **added})


def holidays(*, session: Session) -> list[tuple[date, str, bool]]:
    """Every holiday by date: (day, name, whether it was added on screen and may be removed)."""
    added = {row.day: row.name for row in session.scalars(select(Holiday))}
    merged = {**{d: (n, False) for d, n in default_calendar().holidays.items()},
              **{d: (n, True) for d, n in added.items()}}
    return [(d, n, editable) for d, (n, editable) in sorted(merged.items())]


def add_holiday(*, session: Session, day: date | None, name: str) -> Holiday:
    """A holiday on `day`, its name as text is stored (models/core/text.py); InvalidField names the
    field when the day or the name is missing, the name too long or the day taken."""
    from models.complaints.intake import InvalidField, clean_text

    if day is None:
        raise InvalidField("day", "a date is required", code="required")
    name = clean_text(name, field="name", max_length=Holiday.name.type.length, min_length=1)
    if day in default_calendar().holidays or session.get(Holiday, day) is not None:
        raise InvalidField("day", f"{day.isoformat()} is already a holiday", code="duplicate_day")
    holiday = Holiday(day=day, name=name)
    session.add(holiday)
    session.flush()
    return holiday


def remove_holiday(*, session: Session, day: date) -> bool:
    """Remove a holiday added on screen; False when there was none (the configured ones stay)."""
    holiday = session.get(Holiday, day)
    if holiday is None:
        return False
    session.delete(holiday)
    session.flush()
    return True
