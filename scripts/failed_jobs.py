"""`helpline jobs failed` and `helpline jobs retry ID`: the worker's failed jobs, from the engine's
tables on PostgreSQL (models/core/job_queue.py, as /admin/jobs shows them), put back in the queue."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from models.core import job_queue
from models.core.db import Database
from models.core.settings import get_settings
from scripts.jobs import is_postgres


def _at(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def show_failed(database: Database, limit: int) -> int:
    with database.unit_of_work() as uow:
        rows = job_queue.failed_runs(session=uow.session, limit=limit)
    if not rows:
        print("no failed jobs")
    for row in rows:
        print(f"{row.id}\t{row.task_name}\tdue {_at(row.due_at)}\tfailed {_at(row.failed_at)}\t"
              f"after {row.attempts} attempts\t{row.error or ''}".rstrip())
    return 0


def retry(database: Database, job_id: int) -> int:
    with database.unit_of_work() as uow:
        try:
            name = job_queue.retry_failed(session=uow.session, run_id=job_id, now=datetime.now(timezone.utc))
        except job_queue.NotFailed:
            raise ValueError(f"job {job_id} is not a failed job (see helpline jobs failed)") from None
        except job_queue.RunWaiting as exc:
            raise ValueError(f"{exc}; try again in a moment") from None
        uow.commit()
    print(f"job {job_id} ({name}) queued again; a worker runs it now")
    return 0


def cli(args: argparse.Namespace) -> int:
    settings = get_settings()
    if not is_postgres(settings.database_url):
        raise ValueError("the embedded worker (SQLite) keeps its jobs in memory: its failed runs are in its "
                         "log; the job tables are on PostgreSQL (docs/jobs.md)")
    if args.action == "retry" and args.job_id is None:
        raise ValueError("retry needs the job's ID (from helpline jobs failed)")
    database = Database(settings.database_url)
    try:
        return retry(database, args.job_id) if args.action == "retry" else show_failed(database, args.limit)
    finally:
        database.dispose()
