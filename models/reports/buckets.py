"""The buckets every number of a report counts, each one SQL condition on Complaint: the counts
group by them and the list behind a number filters by the very same condition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_

from models.complaints.complaint import Complaint
from models.complaints.status import OPEN, ComplaintStatus

S = ComplaintStatus
LEVELS = ("L1", "L2", "L3", "L4")
# Open and with a running clock: a paused complaint is not overdue.
CLOCKED = sorted(OPEN - {S.PAUSED})
DONE = (S.RESOLVED, S.CLOSED)  # resolved by an officer (closed: after the citizen's feedback)
CLOSURE_TYPES = ("satisfied", "no_response", "special", "force", "unrecorded")
# How the satisfaction calls record a closure on the complaint (closure_reason of a closed one).
SATISFIED, NO_RESPONSE = "satisfied", "no_response"


def is_closure(kind: str):
    """Closed this way: special or force closure by status; closed (after the feedback calls) as
    satisfied, no response, or with no type recorded (none of those two) by its closure reason."""
    closed, reason = Complaint.status == S.CLOSED, Complaint.closure_reason
    return {"special": Complaint.status == S.SPECIAL_CLOSED, "force": Complaint.status == S.FORCE_CLOSED,
            "satisfied": and_(closed, reason == SATISFIED), "no_response": and_(closed, reason == NO_RESPONSE),
            "unrecorded": and_(closed, or_(reason.is_(None), reason.not_in([SATISFIED, NO_RESPONSE])))}[kind]


def is_open():
    return Complaint.status.in_(sorted(OPEN))


def is_overdue(now: datetime):
    return and_(Complaint.status.in_(CLOCKED), Complaint.due_at < now)


def is_resolved():
    return and_(Complaint.status.in_(DONE), Complaint.resolved_level.is_not(None))


def _level(key: str) -> int:
    if key not in LEVELS:
        raise KeyError(key)
    return int(key[1])


def condition(measure: str, key: str, now: datetime):
    """The condition for the complaints behind one number; KeyError for an unknown one."""
    if measure == "registered":
        return Complaint.id.is_not(None)
    if measure == "open":
        return is_open() if key == "all" else and_(is_open(), Complaint.level == _level(key))
    if measure == "open_status":
        status = S(key)
        if status not in OPEN:
            raise KeyError(key)
        return Complaint.status == status
    if measure == "overdue":
        return is_overdue(now) if key == "all" else and_(is_overdue(now), Complaint.level == _level(key))
    if measure == "resolved":
        return is_resolved() if key == "all" else and_(is_resolved(), Complaint.resolved_level == _level(key))
    if measure == "closure":
        if key not in CLOSURE_TYPES:
            raise KeyError(key)
        return is_closure(key)
    if measure == "reopened":
        return Complaint.reopen_count > 0
    raise KeyError(measure)


MEASURES = ("registered", "open", "open_status", "overdue", "resolved", "closure", "reopened")
