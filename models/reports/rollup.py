"""The reports' roll-up: the counts of the complaints registered each day, and each whole month,
per district, department and channel (and per officer), as they stand now — so a dashboard over
30 days or a ranking over a year reads a few thousand rows instead of every complaint of its range.

The worker keeps it (models/reports/jobs.py: `count_periods`, every minute): each run recomputes
the days of the complaints with a history row since its last run, of those that fell due since
(overdue is stored as of the run), and the days that ended since; then their whole months from
the days; and stores its moment in the same transaction. What is read here: the stored periods
inside a report's range, whole months as month rows and the rest as day rows; the days from the
run's own day on (today) counted live; overdue moved to the moment asked by the complaints that
fell due between the run and that moment (a range of `ix_complaints_status_due`). The explanations
asked about each day's complaints are counted in its rows too (EXPLANATIONS, OFFICER_EXPLANATIONS),
recounted for the days whose explanations changed or fell due since the last run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import BigInteger, Column, Date, Float, Index, Integer, String, and_, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.complaint import Channel, Complaint
from models.complaints.status import OPEN
from models.core.base import Base
from models.reference.calendar import to_local
from models.reports.buckets import CLOCKED, CLOSURE_TYPES, LEVELS
from models.reports.scope import Scope

OPEN_STATUSES = sorted(OPEN, key=lambda s: s.value)
OVERDUE = ("overdue", *(f"overdue_{level}" for level in LEVELS))
# measures.tally's counts, every one stored (overdue as of the run), days_sum apart (a float).
COUNTS = ("registered", "open", *(f"open_{s.value}" for s in OPEN_STATUSES), *(f"open_{lv}" for lv in LEVELS),
          *OVERDUE, "resolved", *(f"resolved_{lv}" for lv in LEVELS), *(f"closure_{k}" for k in CLOSURE_TYPES),
          "reopenings", "reopened", "resolved_ever", "days_count")
OFFICER_COUNTS = ("assigned", "holding", "resolved_in_time", "resolved_late", "escalated_away")
# measures.explanations' counts of the explanations asked about the row's complaints (overdue as of the
# run), and the officers' table's of those asked of the officer; in the same rows (the day's complaints').
EXPLANATIONS = ("explanations_requested", "explanations_pending", "explanations_overdue",
                "explanations_accepted", "explanations_rejected")
OFFICER_EXPLANATIONS = ("missed_deadlines", "explanations_pending", "explanations_rejected")
DAY, MONTH = "day", "month"


class _Period:
    """A day's or a whole month's row of one district and department (and channel, or officer)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(5))  # DAY or MONTH
    start: Mapped[date] = mapped_column(Date)  # the day, or the month's first day
    district_code: Mapped[str | None] = mapped_column(String(3))
    department_code: Mapped[str | None] = mapped_column(String(3))


class PeriodCounts(_Period, Base):
    __tablename__ = "report_period_counts"
    __table_args__ = (Index("ix_report_period_counts_period_start", "period", "start"),)
    channel: Mapped[Channel]
    days_sum: Mapped[float | None] = mapped_column(Float)


class PeriodOfficers(_Period, Base):
    __tablename__ = "report_period_officers"
    __table_args__ = (Index("ix_report_period_officers_period_start", "period", "department_code", "start"),)
    officer_id: Mapped[int]


class PeriodDaysToResolve(Base):
    """How many of a day's (or a whole month's) complaints were resolved in each tenth of a day
    (`timing.tenths_to_resolve`): the state's (department_code NULL) and each department's. The
    90th percentile is read from the summed counts, so it costs the tenths shown, not the complaints
    (at 10 M a day of the state: about 310 rows; a month: about 660)."""

    __tablename__ = "report_period_days_to_resolve"
    __table_args__ = (Index("ix_report_period_days_to_resolve_period_start", "period", "department_code", "start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(5))
    start: Mapped[date] = mapped_column(Date)
    department_code: Mapped[str | None] = mapped_column(String(3))
    tenths: Mapped[int]
    resolved: Mapped[int]


for _table, _names in ((PeriodCounts, (*COUNTS, *EXPLANATIONS)), (PeriodOfficers, (*OFFICER_COUNTS, *OFFICER_EXPLANATIONS))):
    for _name in _names:  # an officer asked an explanation but holding none of the day's complaints: 0s
        setattr(_table, _name, Column(_name, Integer, nullable=False, default=0,
                                      server_default="0" if _name in (*EXPLANATIONS, *OFFICER_EXPLANATIONS) else None))


class RollupRun(Base):
    """The roll-up's last run: its moment (the stored rows are exact as of it) and the history rows
    it has seen (the next run reads those after `events_after`)."""

    __tablename__ = "report_rollup_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    built_at: Mapped[datetime | None] = mapped_column(default=None)
    events_after: Mapped[int] = mapped_column(BigInteger, default=0)


@dataclass(frozen=True)
class Plan:
    """How a scope is counted: `days` and `months` from the roll-up (as of `built_at`), `live` the
    rest (the days from the run's day on), or None when nothing is left."""

    built_at: datetime
    stored: Scope  # the part of the scope the roll-up holds
    days: tuple[tuple[date, date], ...]  # of it, ranges of day rows, both ends included
    months: tuple[date, ...]  # and the month rows
    live: Scope | None


def plan(*, session: Session, scope: Scope) -> Plan | None:
    """The roll-up's share of `scope`, or None when it has none (never built, an officer's own
    complaints, or a range entirely from the run's day on)."""
    if scope.officer_id:
        return None
    built_at = session.scalar(select(RollupRun.built_at).where(RollupRun.id == 1))
    if built_at is None:
        return None
    first_live = to_local(built_at).date()  # days before it are stored
    last_stored = min(scope.date_to, first_live - timedelta(days=1))
    if last_stored < scope.date_from:
        return None
    live = replace(scope, date_from=first_live) if scope.date_to >= first_live else None
    months, days, day = [], [], scope.date_from
    while day <= last_stored:
        if day.day == 1 and month_end(day) <= last_stored:
            months.append(day)
            day = month_end(day) + timedelta(days=1)
            continue
        stop = min(last_stored, month_end(day))
        days.append((day, stop))
        day = stop + timedelta(days=1)
    return Plan(built_at, replace(scope, date_to=last_stored), tuple(days), tuple(months), live)


def registration_day(session: Session):
    """The SQL expression of a complaint's registration day, India time (no daylight saving: +05:30)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Kolkata", Complaint.registered_at)).label("day")
    return func.date(Complaint.registered_at, "+330 minutes").label("day")


def as_date(key: tuple) -> tuple:
    """A group's key with its first value, a day (SQLite gives it as text), as a date."""
    first = key[0] if isinstance(key[0], date) else date.fromisoformat(key[0])
    return (first, *key[1:])


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _periods(table, plan_: Plan):
    periods = [and_(table.period == DAY, table.start >= a, table.start <= b) for a, b in plan_.days]
    if plan_.months:
        periods.append(and_(table.period == MONTH, table.start.in_(plan_.months)))
    return or_(*periods)


def _where(table, plan_: Plan):
    scope = plan_.stored
    parts = [_periods(table, plan_)]
    if scope.department:
        parts.append(table.department_code == scope.department)
    if scope.district:
        parts.append(table.district_code == scope.district)
    if scope.channel:  # PeriodOfficers has no channel: a channel's officers are counted live
        parts.append(table.channel == Channel(scope.channel))
    return and_(*parts)


def stored_counts(*, session: Session, plan_: Plan, now: datetime, by: Sequence = (), names: Sequence[str]) -> dict[tuple, dict]:
    """The stored periods' counts grouped by `by` (Complaint's columns), overdue as of `now`."""
    keys = [getattr(PeriodCounts, column.key) for column in by]
    rows = session.execute(select(*keys, *(func.sum(getattr(PeriodCounts, name)) for name in names))
                           .where(_where(PeriodCounts, plan_)).group_by(*keys))
    width = len(by)
    groups = {tuple(row[:width]): {name: (float(v) if name == "days_sum" else int(v)) if v is not None else None
                                   for name, v in zip(names, row[width:])} for row in rows}
    moved = [name for name in names if name in OVERDUE]
    if moved and now != plan_.built_at:
        _move_overdue(session, plan_, now, by, moved, groups)
    return groups


def _move_overdue(session, plan_, now, by, names, groups) -> None:
    """Overdue counts taken as of the run, moved to `now`: plus the complaints of the stored days
    that fell due since the run (or minus those due between `now` and the run, asked of the past)."""
    early, late = sorted((plan_.built_at, now))
    sign = 1 if now > plan_.built_at else -1
    level = Complaint.level
    counts = {name: func.count().filter(level == int(name[-1])) if name != "overdue" else func.count()
              for name in names}
    rows = session.execute(select(*by, *counts.values()).where(
        plan_.stored.conditions(), Complaint.status.in_(CLOCKED), Complaint.due_at >= early, Complaint.due_at < late).group_by(*by))
    width = len(by)
    for row in rows:
        group = groups.setdefault(tuple(row[:width]), {})
        for name, value in zip(counts, row[width:]):
            group[name] = (group.get(name) or 0) + sign * value


def stored_officers(*, session: Session, plan_: Plan) -> dict[int, list[int]]:
    """officer -> the stored periods' OFFICER_COUNTS, then OFFICER_EXPLANATIONS."""
    rows = session.execute(select(PeriodOfficers.officer_id,
                                  *(func.sum(getattr(PeriodOfficers, name))
                                    for name in (*OFFICER_COUNTS, *OFFICER_EXPLANATIONS)))
                           .where(_where(PeriodOfficers, plan_)).group_by(PeriodOfficers.officer_id))
    return {officer: [int(v or 0) for v in rest] for officer, *rest in rows}


def stored_explanations(*, session: Session, plan_: Plan, now: datetime) -> list[int]:
    """The stored periods' EXPLANATIONS, overdue moved from the run to `now` by the explanations
    still requested that fell due between them (a range of `ix_explanations_due_at`, each one's
    complaint looked up by primary key)."""
    from models.complaints.explanations import Explanation, ExplanationStatus
    from models.reports.measures import about

    row = session.execute(select(*(func.sum(getattr(PeriodCounts, name)) for name in EXPLANATIONS))
                          .where(_where(PeriodCounts, plan_))).one()
    numbers = [int(v or 0) for v in row]
    if now != plan_.built_at:
        early, late = sorted((plan_.built_at, now))
        moved = session.scalar(select(func.count()).select_from(Explanation).where(
            Explanation.status == ExplanationStatus.REQUESTED, Explanation.due_at >= early,
            Explanation.due_at < late, about(plan_.stored.conditions())))
        numbers[EXPLANATIONS.index("explanations_overdue")] += moved if now > plan_.built_at else -moved
    return numbers


def stored_days_to_resolve(*, session: Session, plan_: Plan) -> dict[int, int] | None:
    """tenths of a day -> complaints of the stored periods resolved in that time; None for a scope
    of one district or channel (those are counted live: at most one district's or channel's slice)."""
    scope = plan_.stored
    if scope.district or scope.channel:
        return None
    table = PeriodDaysToResolve
    whose = table.department_code == scope.department if scope.department else table.department_code.is_(None)
    rows = session.execute(select(table.tenths, func.sum(table.resolved))
                           .where(_periods(table, plan_), whose).group_by(table.tenths))
    return {tenths: int(n) for tenths, n in rows}
