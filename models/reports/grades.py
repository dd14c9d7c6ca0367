"""Monthly grades A–D of each district and department (the formula: docs/reports.md, weights in
config/grades.toml), stored per month and recomputable for any past month.

Every count is taken as of the month's end from what does not change afterwards: the append-only
history (resolve, reopen, start … rows of the month), registration times and final closures, and a
complaint's status at a moment read from its last history row before it. So recomputing a past
month gives the same grades however the complaints moved since.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Date, Float, String, UniqueConstraint, and_, delete, distinct, exists, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation
from models.complaints.status import OPEN, ComplaintStatus
from models.core.base import Base, utcnow
from models.reports.buckets import NO_RESPONSE, SATISFIED
from models.reports.grading import COMPONENTS, Grading
from models.reports.scope import day_start

KINDS = {"district": Complaint.district_code, "department": Complaint.department_code}
DISPOSALS = ("resolve", "special_close", "force_close")
LOW_QUALITY = ("special_close", "force_close", "reopen")
LEAVES_OPEN = ("resolve", "special_close", "force_close", "reject")
ATTENDED = ("start", "resolve", "note", "interim_reply", "refer_to_nodal", "special_close",
            "more_time_approved")


class Grade(Base):
    """One district's or department's grade for one month, with the numbers behind it."""

    __tablename__ = "report_grades"
    __table_args__ = (UniqueConstraint("month", "kind", "code", name="uq_report_grades_month_kind_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)   # the month's first day
    kind: Mapped[str] = mapped_column(String(10))            # district | department
    code: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float, default=None)
    grade: Mapped[str | None] = mapped_column(String(1), default=None)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # counts and components, no persons
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, India time."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return day_start(first), day_start(following)


def previous_month(now: datetime) -> date:
    """The first day of the month before the one `now` falls in (India time)."""
    from models.reference.calendar import to_local

    first = to_local(now).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _grouped(session: Session, unit, query) -> dict[str, int]:
    return {code: n for code, n in session.execute(query.group_by(unit)) if code is not None}


def _events(session: Session, unit, actions, start, end, *where, distinct_complaints=False) -> dict:
    counted = func.count(distinct(ComplaintEvent.complaint_id)) if distinct_complaints else func.count()
    return _grouped(session, unit, select(unit, counted).select_from(ComplaintEvent)
                    .join(Complaint, ComplaintEvent.complaint_id == Complaint.id)
                    .where(ComplaintEvent.action.in_(actions), ComplaintEvent.at >= start,
                           ComplaintEvent.at < end, *where))


def open_at(moment: datetime):
    """A complaint was open at `moment`: its last history row before then left it open. Only those
    open now or moved out of open since are looked at (a bounded set, not the whole table)."""
    last = (select(ComplaintEvent.to_status).where(ComplaintEvent.complaint_id == Complaint.id,
                                                   ComplaintEvent.at < moment)
            .order_by(ComplaintEvent.at.desc(), ComplaintEvent.id.desc()).limit(1).scalar_subquery())
    left_since = select(ComplaintEvent.complaint_id).where(
        ComplaintEvent.action.in_(LEAVES_OPEN), ComplaintEvent.at >= moment)
    return and_(or_(Complaint.status.in_(sorted(OPEN)), Complaint.id.in_(left_since)),
                last.in_(sorted(s.value for s in OPEN)))


def month_figures(*, session: Session, kind: str, month: date, grading: Grading) -> dict[str, dict]:
    """code -> the month's counts and components for every district (or department) with any."""
    unit = KINDS[kind]
    start, end = month_bounds(month)
    count = func.count()
    registered = _grouped(session, unit, select(unit, count).where(
        Complaint.registered_at >= start, Complaint.registered_at < end))
    resolved = _events(session, unit, ("resolve",), start, end, distinct_complaints=True)
    late = exists().where(Explanation.complaint_id == Complaint.id, Explanation.requested_at <= ComplaintEvent.at)
    in_time = _events(session, unit, ("resolve",), start, end, ~late, distinct_complaints=True)
    closed = {kind_: _grouped(session, unit, select(unit, count).where(
        Complaint.status == ComplaintStatus.CLOSED, Complaint.closure_reason == kind_,
        Complaint.closed_at >= start, Complaint.closed_at < end)) for kind_ in (SATISFIED, NO_RESPONSE)}
    reopenings = _events(session, unit, ("reopen",), start, end)
    disposals = _events(session, unit, DISPOSALS, start, end)
    low_quality = _events(session, unit, LOW_QUALITY, start, end)
    old = Complaint.registered_at < start - timedelta(days=grading.old_days)
    old_open = _grouped(session, unit, select(unit, count).where(old, open_at(start)))
    old_resolved = _grouped(session, unit, select(unit, count).where(old, open_at(start), exists().where(
        ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.action.in_(DISPOSALS),
        ComplaintEvent.at >= start, ComplaintEvent.at < end)))
    touched = exists().where(ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.action.in_(ATTENDED),
                             ComplaintEvent.at < end)
    untouched = _grouped(session, unit, select(unit, count).where(
        Complaint.registered_at >= start, Complaint.registered_at < end, ~touched))

    codes = set().union(registered, resolved, closed[SATISFIED], closed[NO_RESPONSE], reopenings,
                        disposals, old_open)
    figures = {}
    for code in sorted(codes):
        n = {"registered": registered.get(code, 0), "resolved": resolved.get(code, 0),
             "resolved_in_time": in_time.get(code, 0), "satisfied": closed[SATISFIED].get(code, 0),
             "no_response": closed[NO_RESPONSE].get(code, 0), "reopenings": reopenings.get(code, 0),
             "disposals": disposals.get(code, 0), "low_quality": low_quality.get(code, 0),
             "old_open_at_start": old_open.get(code, 0), "old_resolved": old_resolved.get(code, 0),
             "not_attended": untouched.get(code, 0)}
        answers = n["satisfied"] + n["no_response"] + n["reopenings"]
        components = {
            "satisfied": n["satisfied"] / answers if answers else None,
            "old_resolved": n["old_resolved"] / n["old_open_at_start"] if n["old_open_at_start"] else None,
            "low_quality": 1 - min(1.0, n["low_quality"] / n["disposals"]) if n["disposals"] else None,
            "not_attended": 1 - n["not_attended"] / n["registered"] if n["registered"] else None,
        }
        n["satisfaction_rate"] = round(components["satisfied"], 4) if answers else None
        n["components"] = {k: None if v is None else round(v, 4) for k, v in components.items()}
        figures[code] = n
    return figures


def compute_month(*, session: Session, month: date, grading: Grading,
                  now: datetime | None = None) -> list[Grade]:
    """(Re)compute and store every district's and department's grade for `month`, replacing what
    was stored for it."""
    month = month.replace(day=1)
    session.execute(delete(Grade).where(Grade.month == month))
    rows = []
    for kind in KINDS:
        for code, figures in month_figures(session=session, kind=kind, month=month, grading=grading).items():
            score = grading.score({name: figures["components"][name] for name in COMPONENTS})
            rows.append(Grade(month=month, kind=kind, code=code, score=score, grade=grading.grade(score),
                              figures=figures, computed_at=now or utcnow()))
    session.add_all(rows)
    session.flush()
    return rows


def stored(*, session: Session, months: int = 6, kind: str | None = None,
           before: date | None = None) -> list[Grade]:
    """The stored grades of the latest `months` months (before `before`, if given), newest first."""
    query = select(Grade.month).distinct()
    if before:
        query = query.where(Grade.month < before)
    chosen = [m for (m,) in session.execute(query.order_by(Grade.month.desc()).limit(months))]
    rows = select(Grade).where(Grade.month.in_(chosen))
    if kind:
        rows = rows.where(Grade.kind == kind)
    return list(session.scalars(rows.order_by(Grade.month.desc(), Grade.kind, Grade.score.desc().nulls_last(), Grade.code)))


def has_month(*, session: Session, month: date) -> bool:
    return session.scalar(select(func.count()).where(Grade.month == month.replace(day=1))) > 0
