"""The screens that count: the secretary's dashboard, the state's district ranking, the monthly
grades, the Open311 `requests` query and the officers' inboxes at 100 k, 1 M (and 10 M on request)
complaints on PostgreSQL, beside a baseline measured in the same run (issue 15, item 3).

    python -m scripts.bench.dashboards --server postgresql+psycopg://user@host:port/postgres \
        --sizes 100000,1000000 [--samples 10]
    python -m scripts.bench.dashboards --server URL --database helpline_bench10m   # one filled already

For each size the benchmark (re)creates `helpline_bench`, fills it with scripts/bench/data.py (or
measures the database named by --database as it is) and times, through the domain code the desk
and the API call, each screen's queries as of the day after the newest complaint (the data's
"today"): over the last 30 days, one department (its secretary) and the state (Good Governance),
and the state over 365 days;
the district ranking over 7, 30 and 365 days (the curve: milliseconds against the complaints
counted); one month's grades computed once (the worker's job, rolled back after) and the stored
grades read (the screen); Open311's default `requests` (newest 1,000 of 90 days) and one
service's open ones; the workspace page of a secretary, an L2 officer and an L1 officer with its
total. Figures: p50 /
p99 ms, the complaints each one counts, and p50 ÷ the baseline (`SELECT 1`).

The dashboards and the ranking read the reports' roll-up (models/reports/rollup.py): before the
screens the benchmark runs its job once as of the newest complaint (the first run builds it whole;
timed and printed apart), so the newest day is counted live as today would be; `--live` times the
screens without it, every complaint of each range counted (as before the roll-up)."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select, text

from models.channels import open311
from models.complaints import workspace as workspaces
from models.complaints.complaint import Complaint
from models.complaints.jurisdiction import Actor
from models.core.db import Database
from models.people.users import Role
from models.reference.calendar import to_local
from models.reports import dashboard, grades, rollup, tables
from models.reports.jobs import count_periods, grading_config
from models.reports.scope import Scope
from scripts.bench.data import sized_databases
from scripts.bench.lookups import print_figures, timed

GOAL_MS = 200


def secretary_dashboard(session, scope: Scope, now) -> dict:
    """What /reports/data.json computes for a department's secretary (agent_desk/web/reports.py)."""
    data = dashboard.summary(session=session, scope=scope, now=now, with_tables=("districts", "channels"))
    data["officers"] = tables.by_officer(session=session, scope=scope)
    return data


def state_dashboard(session, scope: Scope, now) -> dict:
    """The same for Good Governance: the state, ranked by district and by department."""
    return dashboard.summary(session=session, scope=scope, now=now,
                             with_tables=("districts", "channels", "departments"))


def build_rollup(database: Database) -> None:
    """The roll-up's job once, as of the newest complaint, timed (the first run builds it whole)."""
    with database.session() as s:
        newest = s.scalar(select(func.max(Complaint.registered_at)))
    start = time.perf_counter()
    days = count_periods(database=database, now=newest + timedelta(seconds=1))
    seconds = time.perf_counter() - start
    with database.session() as s:
        rows = {table.__tablename__: s.scalar(select(func.count()).select_from(table))
                for table in (rollup.PeriodCounts, rollup.PeriodOfficers)}
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("ANALYZE report_period_counts; ANALYZE report_period_officers"))
            s.commit()
    print(f"report roll-up (job once, as of {newest:%Y-%m-%d %H:%M}): {days:,} days counted in {seconds:.1f} s; "
          + ", ".join(f"{name} {n:,} rows" for name, n in rows.items()))


def measure(url: str, samples: int, live: bool = False) -> dict[str, tuple[float, float, int | None]]:
    """name -> (p50 ms, p99 ms, complaints counted or shown)."""
    database = Database(url)
    if live:
        rollup.plan = lambda **_: None  # every complaint of each range counted, as before the roll-up
    else:
        build_rollup(database)
    figures: dict[str, tuple[float, float, int | None]] = {}
    with database.session() as s:
        newest = s.scalar(select(func.max(Complaint.registered_at)))
        now = newest + timedelta(days=1)
        today = to_local(newest).date()
        last30 = Scope(today - timedelta(days=29), today)
        department = s.execute(select(Complaint.department_code).where(last30.conditions())
                               .group_by(Complaint.department_code).order_by(func.count().desc()).limit(1)).scalar()
        dept30 = Scope(last30.date_from, today, department=department)
        l1, l2 = (s.execute(text(
            "SELECT officer_id FROM complaints c JOIN officers o ON o.id = c.officer_id "
            f"WHERE o.level = {level} GROUP BY officer_id ORDER BY count(*) DESC LIMIT 1")).scalar()
            for level in (1, 2))
        officers = {row.id: row for row in s.execute(text(
            "SELECT id, level, department_code, district_code FROM officers WHERE id IN (:a, :b)"), {"a": l1, "b": l2})}

        def counted(scope: Scope) -> int:
            return s.scalar(select(func.count()).where(scope.conditions()))

        def add(name, fn, n, shown=None):
            p50, p99 = timed(fn, n)
            figures[name] = (p50, p99, shown)

        add("baseline SELECT 1", lambda: s.execute(text("SELECT 1")).scalar_one(), 300)
        add(f"secretary's dashboard ({department}, 30 days)",
            lambda: secretary_dashboard(s, dept30, now), samples, counted(dept30))
        add("state dashboard (30 days)", lambda: state_dashboard(s, last30, now), samples, counted(last30))
        last365 = Scope(today - timedelta(days=364), today)
        add("state dashboard (365 days)", lambda: state_dashboard(s, last365, now), samples, counted(last365))
        for days in (7, 30, 365):
            scope = Scope(today - timedelta(days=days - 1), today)
            add(f"district ranking ({days} days)", lambda scope=scope: tables.by_district(
                session=s, scope=scope, now=now), samples, counted(scope))
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        start, end = grades.month_bounds(month)
        in_month = s.scalar(select(func.count()).where(Complaint.registered_at >= start, Complaint.registered_at < end))
        start = time.perf_counter()  # the job once (it takes long at 10 M), kept for the screen
        grades.compute_month(session=s, month=month, grading=grading_config(), now=now)
        s.flush()
        ms = (time.perf_counter() - start) * 1000
        figures[f"monthly grades, computed ({month:%Y-%m}, job, once)"] = (ms, ms, in_month)
        add("monthly grades, stored (screen)", lambda: grades.stored(session=s, months=6), samples,
            s.scalar(select(func.count()).select_from(grades.Grade)))
        s.rollback()
        category = s.scalar(select(Complaint.category_code).order_by(Complaint.id.desc()).limit(1))
        add("Open311 requests (90 days, newest 1,000)",
            lambda: open311.find_requests(session=s, now=now), samples, open311.MAX_RESULTS)
        add(f"Open311 requests ({category}, open)", lambda: open311.find_requests(
            session=s, service_codes=[category], statuses=["open"], now=now), samples,
            len(open311.find_requests(session=s, service_codes=[category], statuses=["open"], now=now)))
        actors = {
            f"secretary's inbox ({department})": Actor("user:bench", Role.SECRETARY, "desk",
                                                      department_code=department),
            "L2 officer's inbox": _officer_actor(officers[l2]),
            "L1 officer's inbox": _officer_actor(officers[l1]),
        }
        for name, actor in actors.items():
            total = workspaces.workspace(session=s, actor=actor, now=now)[1]
            add(f"{name}, 100 of {total:,}", lambda actor=actor: workspaces.workspace(
                session=s, actor=actor, now=now), samples, total)
        add(f"secretary's department figures ({department})", lambda: workspaces.department_figures(
            session=s, department_code=department), samples,
            s.scalar(select(func.count()).where(Complaint.department_code == department)))
        s.rollback()
    database.dispose()
    return figures


def _officer_actor(row) -> Actor:
    return Actor("user:bench", Role.OFFICER, "desk", officer_id=row.id, level=row.level,
                 department_code=row.department_code, district_code=row.district_code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="postgresql+psycopg://… (any database on the server)")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--database", help="measure this database as it is (filled already) instead")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--live", action="store_true", help="count every complaint, without the roll-up")
    args = parser.parse_args(argv)
    for size, url in sized_databases(args.server, args.sizes, args.database):
        figures = measure(url, args.samples, args.live)
        print_figures(size, {name: (p50, p99) for name, (p50, p99, _n) in figures.items()},
                      {name: n for name, (_a, _b, n) in figures.items()}, goal=GOAL_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
