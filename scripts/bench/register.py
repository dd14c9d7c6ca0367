"""Registration throughput (issue 15, item 2): complaints per second through the domain service
(ID, routing, history, the citizen's SMS row) with 1, 4 and 16 concurrent writers, beside the
SQL-only ceiling measured in the same run: the same rows (one complaint, its two history rows,
its outbox row and the ID counter) inserted per transaction with plain SQL, from the same number
of writers — by pgbench on PostgreSQL (PostgreSQL's own client, no Python), and by the same Python
writers on SQLAlchemy (on SQLite the only ceiling). Each writer is a process of its own with its own
engine, as pgbench's clients and a helpline's desk processes are; `--threads` runs them as threads
of one process instead (one interpreter lock for all of them).

    python -m scripts.bench.register --server postgresql+psycopg://…/postgres [--seconds 10]
    python -m scripts.bench.register --sqlite [--seconds 10]
"""

from __future__ import annotations

import argparse
import glob
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import make_url, text

from models.complaints.intake import ComplaintInput
from models.complaints.service import register
from models.core.db import Database
from scripts.bench.data import fresh_database, prepare

DB = "helpline_bench_register"
CEILING_SQL = [
    ("INSERT INTO complaint_sequences (year, last) VALUES (1999, 1) "
    "ON CONFLICT (year) DO UPDATE SET last = complaint_sequences.last + 1 RETURNING last"),
    ("INSERT INTO complaints (public_id, channel, status, language, citizen_name, mobile, district_code, "
    "address, description, callback_requested, category_code, department_code, level, transfer_count, "
    "reopen_count, created_at, registered_at, assigned_at, last_action_at) VALUES (:pid, 'portal', "
    "'assigned', 'hi', 'सुनीता वर्मा', :mobile, 'RPR', '', 'नामांतरण लंबित', false, 'REV-MUT', 'REV', 1, 0, 0, "
    ":now, :now, :now, :now) RETURNING id"),
    ("INSERT INTO complaint_events (complaint_id, at, actor, channel, action, note) VALUES "
    "(:cid, :now, 'bench', 'portal', 'register', ''), (:cid, :now, 'bench', 'system', 'assign', '')"),
    ("INSERT INTO sms_outbox (mobile, body, language, kind, complaint_id, created_at, next_attempt_at, "
    "attempts, status) VALUES (:mobile, 'आपकी शिकायत दर्ज', 'hi', 'registered', :cid, :now, :now, 0, 'queued')"),
]


# The same four statements for pgbench, one transaction per complaint (its -M prepared protocol).
PGBENCH_SCRIPT = """\\set n random(1, 999999999)
BEGIN;
INSERT INTO complaint_sequences (year, last) VALUES (1998, 1) ON CONFLICT (year) DO UPDATE SET last = complaint_sequences.last + 1 RETURNING last \\gset
INSERT INTO complaints (public_id, channel, status, language, citizen_name, mobile, district_code, address, description, callback_requested, category_code, department_code, level, transfer_count, reopen_count, created_at, registered_at, assigned_at, last_action_at) VALUES ('P' || lpad(:last::text, 9, '0'), 'portal', 'assigned', 'hi', 'सुनीता वर्मा', '7' || lpad(:n::text, 9, '0'), 'RPR', '', 'नामांतरण लंबित', false, 'REV-MUT', 'REV', 1, 0, 0, now(), now(), now(), now()) RETURNING id AS cid \\gset
INSERT INTO complaint_events (complaint_id, at, actor, channel, action, note) VALUES (:cid, now(), 'bench', 'portal', 'register', ''), (:cid, now(), 'bench', 'system', 'assign', '');
INSERT INTO sms_outbox (mobile, body, language, kind, complaint_id, created_at, next_attempt_at, attempts, status) VALUES ('7' || lpad(:n::text, 9, '0'), 'आपकी शिकायत दर्ज', 'hi', 'registered', :cid, now(), now(), 0, 'queued');
COMMIT;
"""


def pgbench_binary() -> str | None:
    """Debian keeps pgbench beside the server, not on PATH."""
    beside_the_server = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return shutil.which("pgbench") or (beside_the_server[-1] if beside_the_server else None)


def run_pgbench(binary: str, url: str, writers: int, seconds: float) -> float:
    """Transactions per second of PGBENCH_SCRIPT from `writers` clients (pgbench's own figure)."""
    u = make_url(url)
    with tempfile.NamedTemporaryFile("w", suffix=".pgb", encoding="utf-8", delete=False) as script:
        script.write(PGBENCH_SCRIPT)
    env = {**os.environ, "PGPASSWORD": u.password or ""}
    try:
        out = subprocess.run(
            [binary, "-n", "-M", "prepared", "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432),
             "-U", u.username or "postgres", "-f", script.name, "-c", str(writers),
             "-j", str(min(writers, os.cpu_count() or 1)), "-T", str(max(1, round(seconds))), u.database],
            capture_output=True, text=True, env=env, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


def _service_writer(database: Database, stop: threading.Event, counts: list[int], n: int) -> None:
    i = 0
    while not stop.is_set():
        with database.unit_of_work() as uow:
            register(session=uow.session, actor="bench", data=ComplaintInput(
                mobile=f"9{n:02d}{i:07d}", description="नामांतरण का आवेदन लंबित है, कृपया कार्रवाई करें",
                channel="portal", citizen_name="सुनीता वर्मा", district_code="RPR", block="RPR-ABH",
                category_code="REV-MUT"), sms=True)
            uow.commit()
        counts[n] += 1
        i += 1


def _sql_writer(database: Database, stop: threading.Event, counts: list[int], n: int) -> None:
    i = 0
    while not stop.is_set():
        with database.engine.begin() as conn:  # on SQLite the engine begins IMMEDIATE, as the service's
            seq = conn.execute(text(CEILING_SQL[0])).scalar_one()
            now = datetime.now(UTC)
            cid = conn.execute(text(CEILING_SQL[1]), {"pid": f"99{n:02d}{seq:06d}"[:10], "mobile": f"8{n:02d}{i:07d}",
                                                      "now": now}).scalar_one()
            conn.execute(text(CEILING_SQL[2]), {"cid": cid, "now": now})
            conn.execute(text(CEILING_SQL[3]), {"cid": cid, "mobile": f"8{n:02d}{i:07d}", "now": now})
        counts[n] += 1
        i += 1


def run(url: str, writer, writers: int, seconds: float, processes: bool = False) -> float:
    """Registrations per second of `writers` running `writer` together for `seconds`: threads of
    this process sharing one engine, or (`processes`) processes of their own, as pgbench's clients
    and as a helpline's several desk processes are."""
    if processes:
        return _run_processes(url, writer, writers, seconds)
    database = Database(url)
    stop, counts = threading.Event(), [0] * writers
    threads = [threading.Thread(target=writer, args=(database, stop, counts, n), daemon=True) for n in range(writers)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(30)
    database.dispose()
    return sum(counts) / seconds


def _run_processes(url: str, writer, writers: int, seconds: float) -> float:
    context = multiprocessing.get_context("spawn")
    ready, start, stop = context.Barrier(writers + 1), context.Event(), context.Event()
    counts = context.Array("l", writers)
    children = [context.Process(target=_writer_process, args=(url, writer.__name__, ready, start, stop, counts, n))
                for n in range(writers)]
    for child in children:
        child.start()
    ready.wait(120)  # every writer has its engine and has registered once
    start.set()
    time.sleep(seconds)
    stop.set()
    for child in children:
        child.join(60)
    if any(child.exitcode for child in children):
        raise SystemExit(f"a writer process failed: exit codes {[child.exitcode for child in children]}")
    return sum(counts) / seconds


def _writer_process(url: str, writer_name: str, ready, start, stop, counts, n: int) -> None:
    writer = globals()[writer_name]
    database = Database(url)
    writer(database, _Once(), [0] * (n + 1), n)  # one round: the engine and the kept routes warm
    ready.wait(120)
    start.wait(120)
    local = [0] * (n + 1)
    writer(database, stop, local, n)
    counts[n] = local[n]
    database.dispose()


class _Once:
    """A stop event that lets a writer go round once."""

    def __init__(self) -> None:
        self._asked = 0

    def is_set(self) -> bool:
        self._asked += 1
        return self._asked > 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", help="postgresql+psycopg://… (any database on the server)")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--writers", default="1,4,16")
    parser.add_argument("--rounds", type=int, default=3, help="each figure is the median of this many")
    parser.add_argument("--scratch", default=DB, help="the database (re)created on --server for the run")
    parser.add_argument("--threads", action="store_true",
                        help="writers as threads of this one process (default: a process each, as pgbench's clients)")
    args = parser.parse_args(argv)
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-register-')}/helpline.db"
    elif args.server:
        url = fresh_database(args.server, args.scratch)
    else:
        raise SystemExit("give --server URL or --sqlite")
    prepare(url)
    pgbench = None if args.sqlite else pgbench_binary()
    if not args.sqlite and pgbench is None:
        raise SystemExit("pgbench not found: install Debian's postgresql package (scripts/install-system-packages.sh)")
    print(f"writers as {'threads of one process' if args.threads else 'processes'}")
    print(f"{'writers':>7} {'service /s':>11} {'SQL from Python /s':>19} {'share':>6}"
          + (f" {'pgbench /s':>11} {'share':>6}" if pgbench else ""))
    for writers in (int(w) for w in args.writers.split(",")):
        service, python_sql = (statistics.median(run(url, writer, writers, args.seconds, not args.threads)
                                                 for _ in range(args.rounds)) for writer in (_service_writer, _sql_writer))
        line = f"{writers:7d} {service:11.1f} {python_sql:19.1f} {100 * service / python_sql:5.0f}%"
        if pgbench:
            ceiling = statistics.median(run_pgbench(pgbench, url, writers, args.seconds)
                                        for _ in range(args.rounds))
            line += f" {ceiling:11.1f} {100 * service / ceiling:5.0f}%"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
