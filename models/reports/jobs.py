"""The reports' worker jobs: the monthly grading (when a month has ended, its grades are computed and
stored once) and the roll-up of the counts per day and month (models/reports/rollup.py)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import Date, String, and_, delete, func, insert, literal, select

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation, ExplanationStatus
from models.core.base import utcnow
from models.core.settings import get_settings
from models.reference.calendar import to_local
from models.reports import measures, rollup, tables, timing
from models.reports.buckets import CLOCKED
from models.reports.grades import compute_month, has_month, previous_month
from models.reports.grading import Grading, load_grading
from models.reports.rollup import PeriodCounts, PeriodDaysToResolve, PeriodOfficers, RollupRun
from models.reports.scope import Scope

log = logging.getLogger(__name__)


def grading_config() -> Grading:
    """The formula in config/grades.toml (under HELPLINE's config folder)."""
    return load_grading(get_settings().config_dir / "grades.toml")


def grade_month(*, database, month: date, now: datetime | None = None) -> int:
    """(Re)compute and store `month`'s grades in one transaction; how many were stored."""
    with database.unit_of_work() as uow:
        rows = compute_month(session=uow.session, month=month, grading=grading_config(), now=now)
        uow.commit()
    log.info("grades for %s: %d districts and departments", month.strftime("%Y-%m"), len(rows))
    return len(rows)


def grade_last_month(*, database, now: datetime | None = None) -> int:
    """The worker job: the month before `now` (India time) graded, unless it already is."""
    month = previous_month(now or utcnow())
    with database.unit_of_work() as uow:
        if has_month(session=uow.session, month=month):
            return 0
    return grade_month(database=database, month=month, now=now)


# The roll-up (models/reports/rollup.py). History rows are read from the id the last run saw; those
# of the last few minutes are read again each run, so a transaction that commits a little after a
# run (its row's id below that run's last) is still seen.
REREAD = timedelta(minutes=5)


def count_periods(*, database, now: datetime | None = None) -> int:
    """The worker job: the roll-up brought up to `now` in one transaction — whole on its first run
    (a fresh install, a database loaded by COPY); then the days of the complaints with a history row
    since the last run, of those that fell due since it, and the days that ended since it; then
    their whole months. Returns the days counted."""
    now = now or utcnow()
    with database.unit_of_work() as uow:
        session = uow.session
        run = session.execute(select(RollupRun).where(RollupRun.id == 1).with_for_update()).scalar_one_or_none()
        if run is None:
            run = RollupRun(id=1, built_at=None, events_after=0)
            session.add(run)
        today = to_local(now).date()
        if run.built_at is not None and now <= run.built_at:
            return 0  # a late run: a later one has counted already
        days = _days_to_count(session, run, now, today)
        for first, last in _runs(days):
            _count_days(session, first, last, now)
        months = {day.replace(day=1) for day in days if rollup.month_end(day) < today}
        for month in sorted(months):
            _count_month(session, month)
        run.events_after = session.scalar(select(func.max(ComplaintEvent.id)).where(
            ComplaintEvent.id > run.events_after, ComplaintEvent.at <= now - REREAD)) or run.events_after
        run.built_at = now
        uow.commit()
    log.info("report roll-up: %d days and %d months counted", len(days), len(months))
    return len(days)


def _days_to_count(session, run: RollupRun, now: datetime, today: date) -> set[date]:
    if run.built_at is None:
        first, last = session.execute(select(func.min(Complaint.registered_at), func.max(Complaint.registered_at))).one()
        if first is None:
            return set()
        start, stop = to_local(first).date(), min(to_local(last).date(), today - timedelta(days=1))
        return {start + timedelta(days=n) for n in range((stop - start).days + 1)}
    ended = {to_local(run.built_at).date() + timedelta(days=n)
             for n in range((today - to_local(run.built_at).date()).days)}
    registered_on = rollup.registration_day(session)  # distinct days: a COPY of millions brings ~1,800 rows
    moved = select(registered_on).distinct().join(ComplaintEvent, ComplaintEvent.complaint_id == Complaint.id) \
        .where(ComplaintEvent.id > run.events_after)  # the primary keys' ranges: two queries, not an OR
    fell_due = select(registered_on).distinct().where(
        Complaint.status.in_(CLOCKED), Complaint.due_at >= run.built_at, Complaint.due_at < now)
    registered = {rollup.as_date((value,))[0] for query in (moved, fell_due, *_explained(session, run, now))
                  for value in session.scalars(query)}
    return {day for day in registered | ended if day < today}


def _explained(session, run: RollupRun, now: datetime) -> list:
    """The queries of the registration days of the complaints whose explanations were asked,
    submitted or reviewed since the last run (explanations write no history; their times are read
    from a few minutes before it, as the history rows are) or fell due since it: one range of each
    time's index apiece, each explanation's complaint by primary key."""
    registered_on, since = rollup.registration_day(session), run.built_at - REREAD
    about = select(registered_on).distinct().join(Explanation, Explanation.complaint_id == Complaint.id)
    return [*(about.where(at >= since) for at in (Explanation.requested_at, Explanation.submitted_at,
                                                  Explanation.reviewed_at)),
            about.where(Explanation.status == ExplanationStatus.REQUESTED,
                        Explanation.due_at >= run.built_at, Explanation.due_at < now)]


def _runs(days) -> list[tuple[date, date]]:
    """Sorted days as ranges of consecutive days, none longer than a month (one query each)."""
    ranges: list[list[date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + timedelta(days=1) and (day - ranges[-1][0]).days < 31:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(a, b) for a, b in ranges]


def _count_days(session, first: date, last: date, now: datetime) -> None:
    """The rows of the days `first`..`last`, recomputed from their complaints as they stand (overdue
    as of `now`): one pass grouped by the registration day, district, department and channel."""
    where = Scope(first, last)
    day = rollup.registration_day(session)
    by = (day, Complaint.district_code, Complaint.department_code, Complaint.channel)
    place = ("start", "district_code", "department_code", "channel")
    for table in (PeriodCounts, PeriodOfficers, PeriodDaysToResolve):
        session.execute(delete(table).where(table.period == rollup.DAY, table.start >= first, table.start <= last))
    columns = measures.counted_columns(session, now)  # the live pass's, written by the database itself
    names = [*rollup.COUNTS, "days_sum"]
    counted = select(*by, *(columns[name].label(name) for name in names)) \
        .where(where.conditions()).group_by(*by).subquery()
    asked = (Explanation.complaint_id == Complaint.id, where.conditions())
    explained = select(*by, *(column.label(name) for name, column in
                              zip(rollup.EXPLANATIONS, measures.explanation_columns(now)))) \
        .where(*asked).group_by(*by).subquery()
    keys = [column.key for column in by]  # every explained group is a counted one: a left join

    def same(key):  # a hash join's condition: = (no district or department is '')
        a, b = counted.c[key], explained.c[key]
        return func.coalesce(a, "") == func.coalesce(b, "") if key.endswith("_code") else a == b
    session.execute(insert(PeriodCounts).from_select(["period", *place, *names, *rollup.EXPLANATIONS], select(
        literal(rollup.DAY), *(counted.c[key] for key in keys), *(counted.c[name] for name in names),
        *(func.coalesce(explained.c[name], 0) for name in rollup.EXPLANATIONS))
        .select_from(counted.outerjoin(explained, and_(*(same(key) for key in keys))))))
    officers: dict[tuple, dict] = {}
    for key, numbers in tables.officer_counts(session=session, where=(where.conditions(),), by=by[:3]).items():
        officers[(key[0], *rollup.as_date(key[1:]))] = dict(zip(rollup.OFFICER_COUNTS, numbers))
    for officer, *rest in session.execute(select(Explanation.officer_id, *by[:3], *measures.missed_columns())
                                          .where(*asked).group_by(Explanation.officer_id, *by[:3])):
        key = (officer, *rollup.as_date(tuple(rest[:3])))
        officers.setdefault(key, {}).update(zip(rollup.OFFICER_EXPLANATIONS, rest[3:]))
    zero = dict.fromkeys((*rollup.OFFICER_COUNTS, *rollup.OFFICER_EXPLANATIONS), 0)
    if officers:  # one row per officer, day, district and department; a count not there is 0
        session.execute(insert(PeriodOfficers), [{"period": rollup.DAY, "officer_id": key[0],
                                                  **dict(zip(place, key[1:])), **zero, **numbers}
                                                 for key, numbers in officers.items()])
    _count_days_to_resolve(session, where, day)


def _count_days_to_resolve(session, where: Scope, day) -> None:
    """The days' histograms of the days to resolve: the state's, then each department's."""
    tenths, department = timing.tenths_to_resolve(session), Complaint.department_code
    resolved = (where.conditions(), timing.resolved_with_days())
    state = select(literal(rollup.DAY), day, literal(None, String(3)), tenths, func.count()) \
        .where(*resolved).group_by(day, tenths)
    departments = select(literal(rollup.DAY), day, department, tenths, func.count()) \
        .where(*resolved, department.is_not(None)).group_by(day, department, tenths)
    for query in (state, departments):
        session.execute(insert(PeriodDaysToResolve).from_select(
            ["period", "start", "department_code", "tenths", "resolved"], query))


def _count_month(session, month: date) -> None:
    """A whole month's rows: the sum of its days' rows."""
    place = ("district_code", "department_code")
    for table, names, places in ((PeriodCounts, (*rollup.COUNTS, "days_sum", *rollup.EXPLANATIONS),
                                  (*place, "channel")),
                                 (PeriodOfficers, (*rollup.OFFICER_COUNTS, *rollup.OFFICER_EXPLANATIONS),
                                  (*place, "officer_id")),
                                 (PeriodDaysToResolve, ("resolved",), ("department_code", "tenths"))):
        session.execute(delete(table).where(table.period == rollup.MONTH, table.start == month))
        keys = [getattr(table, name) for name in places]
        days = (select(literal(rollup.MONTH), literal(month, Date), *keys,
                       *(func.sum(getattr(table, name)) for name in names))
                .where(table.period == rollup.DAY, table.start >= month, table.start <= rollup.month_end(month))
                .group_by(*keys))
        session.execute(insert(table).from_select(["period", "start", *places, *names], days))
