"""The measures of a report's scope, each one SQL aggregate (GROUP BY) that returns numbers, never
rows: registered; open by level and by status; overdue by level; resolved by level and by
closure type; the satisfaction rate; the reopened share; explanations; transfers and returns."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation, ExplanationStatus
from models.complaints.status import OPEN
from models.complaints.transfers import ComplaintTransfer
from models.core.base import utcnow
from models.reports.buckets import CLOSURE, CLOSURE_TYPES, LEVELS, is_open, is_overdue, is_resolved
from models.reports.scope import Scope


def _by(session: Session, scope: Scope, key, *where) -> dict:
    rows = session.execute(select(key, func.count()).where(scope.conditions(), *where).group_by(key))
    return {k: n for k, n in rows if k is not None}


def _levels(counts: dict) -> dict[str, int]:
    return {name: counts.get(int(name[1]), 0) for name in LEVELS}


def registered(*, session: Session, scope: Scope) -> int:
    """Complaints registered in the scope."""
    return session.scalar(select(func.count()).where(scope.conditions())) or 0


def open_by_level(*, session: Session, scope: Scope) -> dict[str, int]:
    """Of those, the ones still open, by the level they are at."""
    return _levels(_by(session, scope, Complaint.level, is_open()))


def open_by_status(*, session: Session, scope: Scope) -> dict[str, int]:
    """The open ones by status (every open status, zero included)."""
    counts = _by(session, scope, Complaint.status, is_open())
    return {status.value: counts.get(status, 0) for status in sorted(OPEN, key=lambda s: s.value)}


def overdue_by_level(*, session: Session, scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """The open ones past their due time as of `now` (paused ones are not), by level."""
    return _levels(_by(session, scope, Complaint.level, is_overdue(now or utcnow())))


def resolved_by_level(*, session: Session, scope: Scope) -> dict[str, int]:
    """Resolved by an officer (then closed or awaiting the citizen), by the level that resolved it."""
    return _levels(_by(session, scope, Complaint.resolved_level, is_resolved()))


def closures_by_type(*, session: Session, scope: Scope) -> dict[str, int]:
    """Closed complaints by how they closed: the citizen satisfied, no response to the feedback
    calls, special closure, the secretary's force closure; closed with no type recorded apart."""
    counts = _by(session, scope, CLOSURE, CLOSURE.is_not(None))
    return {kind: counts.get(kind, 0) for kind in CLOSURE_TYPES}


def satisfaction(*, session: Session, scope: Scope) -> dict:
    """Satisfied closures against all the citizens' answers: satisfied, no response, and each
    reopening (a citizen not satisfied); `rate` is None when nobody has answered yet."""
    closures = closures_by_type(session=session, scope=scope)
    reopenings = session.scalar(select(func.coalesce(func.sum(Complaint.reopen_count), 0))
                                .where(scope.conditions())) or 0
    answered = closures["satisfied"] + closures["no_response"] + int(reopenings)
    return {"satisfied": closures["satisfied"], "no_response": closures["no_response"],
            "reopenings": int(reopenings),
            "rate": round(closures["satisfied"] / answered, 4) if answered else None}


def reopened(*, session: Session, scope: Scope) -> dict:
    """Complaints reopened at least once, and their share of those ever resolved."""
    row = session.execute(select(
        func.count().filter(Complaint.reopen_count > 0),
        func.count().filter(Complaint.resolved_at.is_not(None))).where(scope.conditions())).one()
    count, resolved_ever = row
    return {"reopened": count, "resolved_ever": resolved_ever,
            "share": round(count / resolved_ever, 4) if resolved_ever else None}


def explanations(*, session: Session, scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """Explanations asked about the scope's complaints: requested (all), pending (not yet decided),
    overdue (not submitted by their due time), accepted, rejected."""
    now = now or utcnow()
    E = ExplanationStatus
    row = session.execute(select(
        func.count(),
        func.count().filter(Explanation.status.in_([E.REQUESTED, E.SUBMITTED])),
        func.count().filter(and_(Explanation.status == E.REQUESTED, Explanation.due_at < now)),
        func.count().filter(Explanation.status == E.ACCEPTED),
        func.count().filter(Explanation.status == E.REJECTED),
    ).select_from(Explanation).join(Complaint, Explanation.complaint_id == Complaint.id)
        .where(scope.conditions())).one()
    return dict(zip(("requested", "pending", "overdue", "accepted", "rejected"), row))


def transfers(*, session: Session, scope: Scope) -> dict[str, int]:
    """Moves to another department of the complaints registered in the range (for a department:
    out of it and into it); returns ("not my department", to the nodal officer) and complaints
    sent back to the helpline, counted as history rows."""
    unscoped = Scope(scope.date_from, scope.date_to, district=scope.district, channel=scope.channel,
                     officer_id=scope.officer_id)
    base = select(func.count()).select_from(ComplaintTransfer).join(
        Complaint, ComplaintTransfer.complaint_id == Complaint.id).where(unscoped.conditions())
    if scope.department:
        out = session.scalar(base.where(ComplaintTransfer.from_department == scope.department)) or 0
        into = session.scalar(base.where(ComplaintTransfer.to_department == scope.department)) or 0
    else:
        out = into = session.scalar(base) or 0
    events = select(ComplaintEvent.action, func.count()).join(
        Complaint, ComplaintEvent.complaint_id == Complaint.id).where(
        scope.conditions(), or_(ComplaintEvent.action == "refer_to_nodal",
                                and_(ComplaintEvent.action == "return",
                                     ComplaintEvent.to_status == "returned"))
    ).group_by(ComplaintEvent.action)
    counts = dict(session.execute(events).all())
    return {"transferred_out": out, "transferred_in": into,
            "returned_to_nodal": counts.get("refer_to_nodal", 0), "sent_back": counts.get("return", 0)}
