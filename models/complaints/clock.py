"""The clock at a complaint's level: when it started, when it falls due, when to warn at 75 %."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.complaints.complaint import Complaint

WARN_FRACTION = 0.75  # the officer is warned when this share of the time allowed has gone


def _warn_at(start: datetime, due: datetime | None) -> datetime | None:
    if due is None or due <= start:
        return None
    return start + (due - start) * WARN_FRACTION


def started(*, at: datetime, due: datetime | None) -> dict:
    """The clock's columns when a complaint reaches a level (or an officer) at `at`: a fresh time
    limit and warning."""
    return dict(level_started_at=at, due_at=due, warn_at=_warn_at(at, due), overdue_flagged_at=None)


def moved(complaint, *, due: datetime | None) -> dict:
    """The clock's columns for a new due time at the same level (more time, a pause's end) of
    `complaint` (anything with its columns): a warning not yet given moves too."""
    warned = complaint.warn_at is None and complaint.due_at is not None
    columns = dict(due_at=due, overdue_flagged_at=None)
    if not warned:
        columns["warn_at"] = _warn_at(complaint.level_started_at or complaint.created_at, due)
    return columns


def start_level(complaint: Complaint, *, at: datetime, due: datetime | None) -> None:
    """The complaint reached a level (or an officer) at `at`: a fresh time limit and warning."""
    for name, value in started(at=at, due=due).items():
        setattr(complaint, name, value)


def move_due(complaint: Complaint, *, due: datetime | None) -> None:
    """A new due time at the same level (more time, a pause's end); a warning not yet given moves too."""
    for name, value in moved(complaint, due=due).items():
        setattr(complaint, name, value)


def shift_due(complaint: Complaint, *, by: timedelta) -> None:
    """Add the time the clock was stopped to the due time and to the warning not yet given."""
    if complaint.due_at is not None:
        complaint.due_at = complaint.due_at + by
    if complaint.warn_at is not None:
        complaint.warn_at = complaint.warn_at + by
    complaint.overdue_flagged_at = None


def time_left(complaint: Complaint, *, now: datetime) -> timedelta | None:
    """How long until the complaint falls due (negative when overdue); None without a due time."""
    return complaint.due_at - now if complaint.due_at else None
