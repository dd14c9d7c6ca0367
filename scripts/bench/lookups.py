"""Look-ups and the escalation sweep at 100 k, 1 M (and 10 M on request) complaints on PostgreSQL,
beside a baseline measured in the same run (issue 15, items 3 and 4).

    python -m scripts.bench.lookups --server postgresql+psycopg://user@host:port/postgres \
        --sizes 100000,1000000 [--samples 300]

For each size the benchmark (re)creates the database `helpline_bench`, migrates and seeds it,
fills it with scripts/bench/data.py up to the size, and times, through the domain code the desk
and the IVR use: the status by complaint ID (IVR, /track), the agent's search by mobile, an L1
officer's open complaints, and the baseline: `SELECT 1` on the same connection; then the
overdue sweep when 1,000 / 10,000 / 100,000 complaints are overdue (every other running
complaint moved a month ahead first): a pass's query (the first 200 by due time), every overdue
ID (no LIMIT), and one pass of `sweep_overdue` as the worker runs it (in HELPLINE_SWEEP_PARTS parts
at once, each claiming batches of 1,000 with SKIP LOCKED and writing them in sets, until none is due
or its 50 s budget has gone). Figures:
p50 / p99 in ms and the ratio of p50 to the baseline's.

    python -m scripts.bench.lookups --server URL --database helpline_bench10m   # one filled already
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select, text, update

from models.complaints import service as complaints
from models.complaints import sla
from models.complaints.complaint import Complaint
from models.core.base import utcnow
from models.core.db import Database
from scripts.bench.data import sample_of, sized_databases
from scripts.jobs import in_parts

DB = "helpline_bench"


def timed(fn, samples: int) -> tuple[float, float]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def measure(url: str, samples: int) -> dict[str, tuple[float, float]]:
    database = Database(url)
    figures = {}
    with database.session() as s:
        ids, mobiles = sample_of(s, "public_id", samples), sample_of(s, "mobile", samples)
        officer = s.execute(text("SELECT officer_id FROM complaints WHERE level = 1 AND officer_id IS NOT NULL "
                                 "GROUP BY officer_id ORDER BY count(*) DESC LIMIT 1")).scalar_one()
        it = iter(range(10**9))
        figures["baseline SELECT 1"] = timed(lambda: s.execute(text("SELECT 1")).scalar_one(), samples)
        figures["status by ID"] = timed(lambda: complaints.get_by_public_id(
            session=s, public_id=ids[next(it) % len(ids)]), samples)
        figures["search by mobile"] = timed(lambda: complaints.earlier_of_mobile(
            session=s, mobile=mobiles[next(it) % len(mobiles)]), samples)
        figures["officer's open complaints"] = timed(lambda: complaints.open_for_officer(
            session=s, officer_id=officer), max(20, samples // 10))
        s.rollback()
    database.dispose()
    return figures


RUNNING = ["assigned", "in_progress", "escalated", "reopened"]


def sweep(url: str, overdue_counts: tuple[int, ...] = (1_000, 10_000, 100_000),
          parts: int = 1) -> dict[str, tuple[float, float]]:
    """The sweep with exactly N complaints overdue, for each N: its query's p50 / p99 over 10 runs,
    and one pass of the worker's job (all N, or what its budget allows) as (seconds, ms per escalation)."""
    database = Database(url)
    figures = {}
    now = utcnow()
    later = now + timedelta(days=30)
    running = Complaint.status.in_(RUNNING)
    with database.session() as s:  # nothing overdue: every running complaint due a month ahead
        s.execute(update(Complaint).where(running, Complaint.due_at < later).values(due_at=later))
        s.commit()
    for i, overdue in enumerate(overdue_counts):
        # An N asked for again is measured again, not written over the first: its labels say which run.
        again = f" (run {overdue_counts[:i + 1].count(overdue)})" if overdue_counts.count(overdue) > 1 else ""
        with database.session() as s:
            chosen = select(Complaint.id).where(running, Complaint.level < 3, Complaint.overdue_flagged_at.is_(None)) \
                .order_by(Complaint.id).limit(overdue).scalar_subquery()
            s.execute(update(Complaint).where(Complaint.id.in_(chosen)).values(due_at=now - timedelta(hours=1)))
            s.commit()
        _vacuum(database)
        with database.session() as s:
            found = s.scalar(select(func.count()).select_from(sla._overdue_query(now).subquery()))
            figures[f"sweep query, first 200 of {found:,} overdue{again}"] = timed(  # what a pass asks
                lambda: list(s.scalars(sla._overdue_query(now).limit(200))), 10)
            figures[f"all {found:,} overdue IDs (no LIMIT){again}"] = timed(
                lambda: list(s.scalars(sla._overdue_query(now))), 10)
        start = time.perf_counter()
        handled = in_parts(sla.sweep_overdue, database, parts, now)
        seconds = time.perf_counter() - start
        figures[f"sweep pass in {parts} part(s), {handled} of {found:,} escalated (s, ms each){again}"] = (
            seconds, seconds * 1000 / max(handled, 1))
        with database.session() as s:  # the rest back to a month ahead, for the next count
            s.execute(update(Complaint).where(running, Complaint.due_at < later).values(due_at=later))
            s.commit()
    database.dispose()
    return figures


def _vacuum(database: Database) -> None:
    """VACUUM the complaints after the set-up's mass UPDATEs, as autovacuum would by the time a
    live helpline has that many overdue: else the sweep's index walks the dead rows' entries too
    (at 100 k: 22 ms for 1,000 overdue instead of about 1 ms)."""
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE complaints"))


def print_figures(size: int, figures: dict[str, tuple[float, float]], shown: dict[str, int | None] | None = None,
                  goal: float | None = None) -> None:
    """The table of one size: p50, p99, p50 ÷ the baseline's, and (given) what each one counts or
    shows and whether its p50 is within `goal` ms (screens only: not the baseline, not a job)."""
    base = figures["baseline SELECT 1"][0]
    extra = f" {'rows':>10} {'goal':>6}" if shown is not None else ""
    print(f"\n{size:,} complaints\n{'what':58} {'p50 ms':>9} {'p99 ms':>9} {'p50 / baseline':>15}{extra}")
    for name, (p50, p99) in figures.items():
        line = f"{name:58} {p50:9.3f} {p99:9.3f} {p50 / base:15.1f}"
        if shown is not None:
            n = shown.get(name)
            judged = goal is not None and not name.startswith("baseline") and "job" not in name
            met = ("met" if p50 <= goal else "MISSED") if judged else ""
            line += f" {'' if n is None else f'{n:,}':>10} {met:>6}"
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="postgresql+psycopg://… (any database on the server)")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--database", help="measure this database as it is (filled already) instead")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--overdue", default="1000,10000,100000", help="how many overdue for the sweep")
    parser.add_argument("--sweep-parts", default="2", help="the pass in so many parts at once, as the worker "
                        "runs it on PostgreSQL (HELPLINE_SWEEP_PARTS); a list (1,2) measures each in turn")
    args = parser.parse_args(argv)
    for size, url in sized_databases(args.server, args.sizes, args.database):
        figures = measure(url, args.samples)
        print_figures(size, figures)
        for parts in (int(n) for n in args.sweep_parts.split(",")):
            swept = sweep(url, tuple(int(n) for n in args.overdue.split(",")), parts)
            print(f"{'the sweep (query: p50 / p99 ms; pass: s / ms each)':58} {'':>9} {'':>9}")
            for name, (a, b) in swept.items():
                print(f"{name:58} {a:9.3f} {b:9.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
