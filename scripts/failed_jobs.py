"""`helpline jobs failed` and `helpline jobs retry ID`: the worker's failed jobs, from the engine's
tables on PostgreSQL, shown to the operator and put back in the queue."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from sqlalchemy import text

from models.core.db import Database
from models.core.settings import get_settings
from scripts.jobs import build_app, is_postgres

# The failed jobs, newest first, with when each tick was due and when it failed.
FAILED = text("""
    SELECT j.id, j.task_name, j.attempts, (j.args ->> 'timestamp')::bigint AS tick,
           (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'failed') AS failed_at
      FROM procrastinate_jobs j WHERE j.status = 'failed' ORDER BY j.id DESC LIMIT :limit""")


def _at(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def show_failed(database: Database, limit: int) -> int:
    with database.unit_of_work() as uow:
        rows = uow.session.execute(FAILED, {"limit": limit}).all()
    if not rows:
        print("no failed jobs")
    for row in rows:
        due = datetime.fromtimestamp(row.tick, timezone.utc) if row.tick is not None else None
        print(f"{row.id}\t{row.task_name}\tdue {_at(due)}\tfailed {_at(row.failed_at)}\t"
              f"after {row.attempts} attempts")
    return 0


def retry(settings, job_id: int) -> int:
    app = build_app(settings)
    with app.open():
        jobs = app.job_manager.list_jobs(id=job_id)
        if not jobs or jobs[0].status != "failed":
            raise ValueError(f"job {job_id} is not a failed job (see helpline jobs failed)")
        try:
            app.job_manager.retry_job_by_id(job_id=job_id, retry_at=datetime.now(timezone.utc))
        except Exception as exc:  # the unique queueing lock: a run of that job is already waiting
            raise ValueError(f"job {job_id} ({jobs[0].task_name}) was not retried: a run of it is already "
                             f"waiting; try again in a moment ({type(exc).__name__})") from exc
    print(f"job {job_id} ({jobs[0].task_name}) queued again; a worker runs it now")
    return 0


def cli(args: argparse.Namespace) -> int:
    settings = get_settings()
    if not is_postgres(settings.database_url):
        raise ValueError("the embedded worker (SQLite) keeps its jobs in memory: its failed runs are in its "
                         "log; the job tables are on PostgreSQL (docs/jobs.md)")
    if args.action == "retry":
        if args.job_id is None:
            raise ValueError("retry needs the job's ID (from helpline jobs failed)")
        return retry(settings, args.job_id)
    database = Database(settings.database_url)
    try:
        return show_failed(database, args.limit)
    finally:
        database.dispose()
