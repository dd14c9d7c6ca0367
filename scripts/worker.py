"""`helpline worker [--once [--now ISO-8601]]` and `helpline jobs failed|retry ID`: the scheduled jobs
(scripts/jobs.py) on the job engine, run once by hand, and the failed ones shown and retried."""

from __future__ import annotations

import argparse
import asyncio
import logging
import threading
from datetime import datetime, timezone

from models.core import worker_jobs
from models.core.db import Database
from models.core.settings import Settings, get_settings
from scripts.jobs import JOBS, Job, build_app, intervals, is_postgres

log = logging.getLogger(__name__)


def run_job(job: Job, database: Database, now: datetime | None = None) -> int:
    """One run of `job`: how many rows it handled, or -1 when it failed (logged, not raised)."""
    try:
        return job.run(database=database, now=now)
    except Exception:
        log.exception("job %s failed", job.name)
        return -1


def run_once(database: Database, now: datetime | None = None) -> dict[str, int]:
    """Every job once, as of `now`; a failing job is logged and the others still run."""
    return {job.name: run_job(job, database, now) for job in JOBS}


def run_worker(settings: Settings) -> None:
    """The engine's worker until stopped (SIGINT/SIGTERM when on the main thread): every job on its
    schedule, HELPLINE_WORKER_CONCURRENCY at once; PostgreSQL's job tables, or in memory on SQLite."""
    app = build_app(settings)
    database = Database(settings.database_url)
    embedded = not is_postgres(settings.database_url)
    every_s = intervals(settings)
    log.info("worker started (%s): %s", "embedded, in memory" if embedded else "PostgreSQL", ", ".join(every_s))

    async def work() -> None:
        async with app.open_async():
            if not await app.check_connection_async():
                raise RuntimeError("the job engine's tables are missing: run `helpline db upgrade`")
            with database.unit_of_work() as uow:  # what the administrators' /admin/jobs lists
                worker_jobs.register(session=uow.session, every_s=every_s, now=datetime.now(timezone.utc))
                uow.commit()
            await app.run_worker_async(
                concurrency=settings.worker_concurrency,
                additional_context={"database": database},
                install_signal_handlers=threading.current_thread() is threading.main_thread(),
                # A worker silent for HELPLINE_JOB_STALLED_S is dead: its running jobs are stalled.
                update_heartbeat_interval=settings.job_stalled_s / 3,
                stalled_worker_timeout=settings.job_stalled_s,
                # In memory, a finished run is only kept if it failed (for the log); the tables keep all.
                delete_jobs="successful" if embedded else "never",
            )

    try:
        asyncio.run(work())
    finally:
        database.dispose()


def parse_now(text: str) -> datetime:
    """An ISO-8601 moment; one without a zone is taken as UTC."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--now must be an ISO-8601 date and time, not {text!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def cli(args: argparse.Namespace) -> int:
    """`helpline worker`: the engine's worker, or every job once with --once (as of --now)."""
    settings = get_settings()
    if not args.once:
        if args.now:
            raise ValueError("--now goes with --once")
        run_worker(settings)
        return 0
    database = Database(settings.database_url)
    try:
        done = run_once(database, now=parse_now(args.now) if args.now else None)
    finally:
        database.dispose()
    for name, count in done.items():
        print(f"{name}: {'failed' if count < 0 else count}")
    return 1 if any(count < 0 for count in done.values()) else 0
