"""The measures of a report's scope, all counted in one pass over the scope's complaints (one
SELECT of conditional counts, grouped the way the tables need): registered; open by level and by
status; overdue by level; resolved by level and by closure type; the satisfaction rate; the
reopened share; days to resolve; and, apart, explanations, transfers and returns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation, ExplanationStatus
from models.complaints.status import OPEN
from models.complaints.transfers import ComplaintTransfer
from models.core.base import utcnow
from models.reports import rollup
from models.reports.buckets import CLOSURE_TYPES, LEVELS, is_closure, is_open, is_overdue, is_resolved
from models.reports.scope import Scope
from models.reports.timing import days_to_resolve_expr, resolved_with_days

OPEN_STATUSES = sorted(OPEN, key=lambda s: s.value)
Counts = dict[str, float]


def counted_columns(session: Session, now: datetime) -> dict:
    """name -> the SQL aggregate counting it: every number of the summary and the tables."""
    count, level = func.count, Complaint.level
    resolved_days = resolved_with_days()
    return {
        "registered": count(),
        "open": count().filter(is_open()),
        **{f"open_{s.value}": count().filter(Complaint.status == s) for s in OPEN_STATUSES},
        **{f"open_{name}": count().filter(level == int(name[1]), is_open())
           for name in LEVELS},
        "overdue": count().filter(is_overdue(now)),
        **{f"overdue_{name}": count().filter(level == int(name[1]), is_overdue(now)) for name in LEVELS},
        "resolved": count().filter(is_resolved()),
        **{f"resolved_{name}": count().filter(Complaint.resolved_level == int(name[1]), is_resolved())
           for name in LEVELS},
        **{f"closure_{kind}": count().filter(is_closure(kind)) for kind in CLOSURE_TYPES},
        "reopenings": func.coalesce(func.sum(Complaint.reopen_count), 0),
        "reopened": count().filter(Complaint.reopen_count > 0),
        "resolved_ever": count().filter(Complaint.resolved_at.is_not(None)),
        "days_count": count().filter(resolved_days),
        "days_sum": func.sum(days_to_resolve_expr(session)).filter(resolved_days),
    }


def tally(*, session: Session, scope: Scope, now: datetime | None = None, by: Sequence = (),
          names: Sequence[str] | None = None) -> dict[tuple, Counts]:
    """The scope's counts: (the `by` columns' values) -> {name: number}, every count or only those
    `names`; with no `by`, one row keyed (). The days the roll-up holds are read from it
    (models/reports/rollup.py), the rest counted live in one pass (`live_tally`)."""
    now = now or utcnow()
    share = rollup.plan(session=session, scope=scope)
    if share is None:
        return live_tally(session=session, scope=scope, now=now, by=by, names=names)
    names = list(names if names is not None else counted_columns(session, now))
    groups = rollup.stored_counts(session=session, plan_=share, now=now, by=by, names=names)
    if share.live is not None:
        for key, counts in live_tally(session=session, scope=share.live, now=now, by=by, names=names).items():
            groups[key] = combined([groups.get(key, {}), counts])
    return groups


def live_tally(*, session: Session, scope: Scope, now: datetime | None = None, by: Sequence = (),
               names: Sequence[str] | None = None) -> dict[tuple, Counts]:
    """The scope's counts in one pass over its complaints, as `tally` returns them."""
    columns = counted_columns(session, now or utcnow())
    if names is not None:
        columns = {name: columns[name] for name in names}
    rows = session.execute(select(*by, *columns.values()).where(scope.conditions()).group_by(*by))
    width = len(by)
    return {tuple(row[:width]): {name: (float(v) if name == "days_sum" else int(v)) if v is not None else None
                                 for name, v in zip(columns, row[width:])} for row in rows}


def combined(counts: Sequence[Counts]) -> Counts:
    """The sum of several groups' counts (the summary from the tables' groups)."""
    total: Counts = {}
    for row in counts:
        for name, value in row.items():
            if value is not None:
                total[name] = total.get(name, 0) + value
    return total


def _total(session: Session, scope: Scope, now: datetime | None = None) -> Counts:
    return combined(tally(session=session, scope=scope, now=now).values())


# Each measure from the counts (pure), then by itself from the database (one pass).

def open_levels(counts: Counts) -> dict[str, int]:
    return {name: counts.get(f"open_{name}", 0) for name in LEVELS}


def open_statuses(counts: Counts) -> dict[str, int]:
    return {s.value: counts.get(f"open_{s.value}", 0) for s in OPEN_STATUSES}




def overdue_levels(counts: Counts) -> dict[str, int]:
    return {name: counts.get(f"overdue_{name}", 0) for name in LEVELS}


def resolved_levels(counts: Counts) -> dict[str, int]:
    return {name: counts.get(f"resolved_{name}", 0) for name in LEVELS}


def closure_types(counts: Counts) -> dict[str, int]:
    return {kind: counts.get(f"closure_{kind}", 0) for kind in CLOSURE_TYPES}


def satisfaction_of(counts: Counts) -> dict:
    closures, reopenings = closure_types(counts), int(counts.get("reopenings", 0))
    answered = closures["satisfied"] + closures["no_response"] + reopenings
    return {"satisfied": closures["satisfied"], "no_response": closures["no_response"],
            "reopenings": reopenings,
            "rate": round(closures["satisfied"] / answered, 4) if answered else None}


def reopened_of(counts: Counts) -> dict:
    count, resolved_ever = counts.get("reopened", 0), counts.get("resolved_ever", 0)
    return {"reopened": count, "resolved_ever": resolved_ever,
            "share": round(count / resolved_ever, 4) if resolved_ever else None}


def registered(*, session: Session, scope: Scope) -> int:
    """Complaints registered in the scope."""
    return _total(session, scope).get("registered", 0)


def open_by_level(*, session: Session, scope: Scope) -> dict[str, int]:
    """Of those, the ones still open, by the level they are at."""
    return open_levels(_total(session, scope))


def open_by_status(*, session: Session, scope: Scope) -> dict[str, int]:
    """The open ones by status (every open status, zero included)."""
    return open_statuses(_total(session, scope))


def overdue_by_level(*, session: Session, scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """The open ones past their due time as of `now` (paused ones are not), by level."""
    return overdue_levels(_total(session, scope, now))


def resolved_by_level(*, session: Session, scope: Scope) -> dict[str, int]:
    """Resolved by an officer (then closed or awaiting the citizen), by the level that resolved it."""
    return resolved_levels(_total(session, scope))


def closures_by_type(*, session: Session, scope: Scope) -> dict[str, int]:
    """Closed complaints by how they closed: the citizen satisfied, no response to the feedback
    calls, special closure, the secretary's force closure; closed with no type recorded apart."""
    return closure_types(_total(session, scope))


def satisfaction(*, session: Session, scope: Scope) -> dict:
    """Satisfied closures against all the citizens' answers: satisfied, no response, and each
    reopening (a citizen not satisfied); `rate` is None when nobody has answered yet."""
    return satisfaction_of(_total(session, scope))


def reopened(*, session: Session, scope: Scope) -> dict:
    """Complaints reopened at least once, and their share of those ever resolved."""
    return reopened_of(_total(session, scope))


EXPLANATIONS = ("requested", "pending", "overdue", "accepted", "rejected")


def missed_columns() -> list:
    """The SQL aggregates of rollup.OFFICER_EXPLANATIONS over Explanation: all asked (a deadline
    missed each), pending (not yet decided: asked or submitted), rejected."""
    E = ExplanationStatus
    return [func.count(), func.count().filter(Explanation.status.in_([E.REQUESTED, E.SUBMITTED])),
            func.count().filter(Explanation.status == E.REJECTED)]


def explanation_columns(now: datetime) -> list:
    """The SQL aggregates of EXPLANATIONS over Explanation (overdue as of `now`): missed_columns'
    three, with overdue and accepted between."""
    E = ExplanationStatus
    requested, pending, rejected = missed_columns()
    return [requested, pending,
            func.count().filter(and_(Explanation.status == E.REQUESTED, Explanation.due_at < now)),
            func.count().filter(Explanation.status == E.ACCEPTED), rejected]


def explanations(*, session: Session, scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """Explanations asked about the scope's complaints: requested (all), pending (not yet decided),
    overdue (not submitted by their due time), accepted, rejected. The days the roll-up holds are
    read from it, the rest (today) counted from the live days' complaints (`of_slice`)."""
    now = now or utcnow()
    share = rollup.plan(session=session, scope=scope)
    if share is None:
        row = session.execute(select(*explanation_columns(now)).select_from(Explanation)
                              .where(about(scope.conditions()))).one()
        return dict(zip(EXPLANATIONS, row))
    numbers = rollup.stored_explanations(session=session, plan_=share, now=now)
    if share.live is not None:
        row = session.execute(select(*explanation_columns(now)).select_from(Explanation)
                              .where(of_slice(share.live.conditions()))).one()
        numbers = [a + b for a, b in zip(numbers, row)]
    return dict(zip(EXPLANATIONS, numbers))


def about(*conditions):
    """The condition on Explanation: its complaint meets `conditions`. Looked up complaint by
    complaint (a correlated subquery per explanation, by primary key), so the cost follows the
    explanations — a few per missed deadline — and never a walk of the complaints' primary key,
    the merge join PostgreSQL picked at 10 M (2.6 s) for explanations of old complaints only."""
    return select(func.count()).where(Complaint.id == Explanation.complaint_id, *conditions) \
        .correlate(Explanation).scalar_subquery() > 0


def of_slice(*conditions):
    """The condition on Explanation: its complaint is one of those meeting `conditions`, read from
    the complaints' side (their ids, then `ix_explanations_complaint_id`): for a small slice such as
    the roll-up's live day, whose cost follows the slice, not all the explanations."""
    return Explanation.complaint_id.in_(select(Complaint.id).where(*conditions))


def transfers(*, session: Session, scope: Scope) -> dict[str, int]:
    """Moves to another department of the complaints registered in the range (for a department:
    out of it and into it); returns ("not my department", to the nodal officer) and complaints
    sent back to the helpline, counted as history rows."""
    unscoped = Scope(scope.date_from, scope.date_to, district=scope.district, channel=scope.channel,
                     officer_id=scope.officer_id)

    def moves(*counts):
        return select(*counts).select_from(ComplaintTransfer).join(
            Complaint, ComplaintTransfer.complaint_id == Complaint.id).where(unscoped.conditions())

    if scope.department:
        out, into = session.execute(moves(
            func.count().filter(ComplaintTransfer.from_department == scope.department),
            func.count().filter(ComplaintTransfer.to_department == scope.department))).one()
    else:
        out = into = session.scalar(moves(func.count())) or 0
    events = select(ComplaintEvent.action, func.count()).join(
        Complaint, ComplaintEvent.complaint_id == Complaint.id).where(
        scope.conditions(), or_(ComplaintEvent.action == "refer_to_nodal",
                                and_(ComplaintEvent.action == "return",
                                     ComplaintEvent.to_status == "returned"))
    ).group_by(ComplaintEvent.action)
    counts = dict(session.execute(events).all())
    return {"transferred_out": out, "transferred_in": into,
            "returned_to_nodal": counts.get("refer_to_nodal", 0), "sent_back": counts.get("return", 0)}
