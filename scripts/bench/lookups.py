"""Look-ups and the escalation sweep at 100 k, 1 M (and 10 M on request) complaints on PostgreSQL,
beside a baseline measured in the same run (issue 15, items 3 and 4).

    python -m scripts.bench.lookups --server postgresql+psycopg://user@host:port/postgres \
        --sizes 100000,1000000 [--samples 300]

For each size the benchmark (re)creates the database `helpline_bench`, migrates and seeds it,
fills it with scripts/bench/data.py up to the size, and times, through the domain code the desk
and the IVR use: the status by complaint ID (IVR, /track), the agent's search by mobile, an L1
officer's open complaints, the overdue sweep's query when 1,000 / 10,000 complaints are overdue,
and the baseline: `SELECT 1` on the same connection. Figures: p50 / p99 in ms and the ratio of
p50 to the baseline's."""

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
from scripts.bench.data import fresh_database, generate, prepare

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
        ids = [row[0] for row in s.execute(text(f"SELECT public_id FROM complaints TABLESAMPLE SYSTEM (1) LIMIT {samples}"))]
        mobiles = [row[0] for row in s.execute(text(f"SELECT mobile FROM complaints TABLESAMPLE SYSTEM (1) LIMIT {samples}"))]
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
    for overdue in (1_000, 10_000):
        with database.session() as s:
            now = utcnow()
            s.execute(update(Complaint).where(Complaint.status.in_(["assigned", "in_progress", "escalated"]))
                      .values(due_at=now + timedelta(days=30)))
            chosen = select(Complaint.id).where(Complaint.status.in_(["assigned", "in_progress", "escalated"]),
                                                Complaint.level < 4).limit(overdue).scalar_subquery()
            s.execute(update(Complaint).where(Complaint.id.in_(chosen)).values(due_at=now - timedelta(hours=1)))
            s.commit()
            found = s.scalar(select(func.count()).select_from(Complaint).where(
                Complaint.due_at < now, Complaint.level < 4,
                Complaint.status.in_(["assigned", "in_progress", "escalated"])))
            figures[f"sweep query, {found} overdue"] = timed(
                lambda: list(s.scalars(sla._overdue_query(now).limit(overdue))), 10)
    database.dispose()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="postgresql+psycopg://… (any database on the server)")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    url, have = prepare(fresh_database(args.server, DB)), 0
    for size in (int(s) for s in args.sizes.split(",")):
        made = generate(url, size - have, seed=size)
        have = size
        print(f"\n{size:,} complaints ({made['events']:,} history rows added in {made['seconds']} s)")
        figures = measure(url, args.samples)
        base = figures["baseline SELECT 1"][0]
        print(f"{'what':38} {'p50 ms':>8} {'p99 ms':>8} {'p50 / baseline':>15}")
        for name, (p50, p99) in figures.items():
            print(f"{name:38} {p50:8.3f} {p99:8.3f} {p50 / base:15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
