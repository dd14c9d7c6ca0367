"""The worker's jobs, one registry for both modes, on the procrastinate job engine (docs/jobs.md).

Each job is a small function(database=, now=) -> rows handled, on a schedule, retried with back-off
when it raises. On PostgreSQL the engine keeps its jobs in its own tables: each tick of a schedule
is one row, taken by one worker process on any machine (FOR UPDATE SKIP LOCKED), a failed job stays
visible. On SQLite (one machine) the same tasks, schedules and retries run on the engine's in-memory
connector inside the one worker process: nothing persists, which suits jobs that are each an
idempotent sweep over the database's state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

import procrastinate
from procrastinate import builtin_tasks, exceptions
from procrastinate.job_context import JobContext
from procrastinate.jobs import Status
from procrastinate.testing import InMemoryConnector
from sqlalchemy.engine import make_url

from ivr.outbound import place_callbacks, place_feedback_calls
from models.calls.queue_history import import_queue_log
from models.calls.recordings import expire_conversations
from models.channels.housekeeping import purge_channel_rows
from models.channels.whatsapp_media import fetch_whatsapp_media
from models.channels.whatsapp_sender import send_due_whatsapp
from models.complaints.sla import end_pauses, sweep_overdue, warn_due_soon
from models.core import worker_jobs
from models.core.db import Database
from models.core.settings import Settings
from models.notifications.sender import send_due_sms
from models.reports.jobs import count_periods, grade_last_month

log = logging.getLogger(__name__)

KEEP_SUCCEEDED_HOURS = 72  # finished runs kept for `helpline jobs` to show; failed ones until retried
STALLED_JOBS, STALLED_EVERY_S = "stalled-jobs", 60  # the housekeeping of runs left `doing` (PostgreSQL)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., int]  # run(database=..., now=...) -> how many rows it handled
    every_s: int
    in_parts: bool = False  # on PostgreSQL, HELPLINE_SWEEP_PARTS runs of it at once (SKIP LOCKED splits the rows)


JOBS = (
    Job("sla-sweep", sweep_overdue, 60, in_parts=True),
    Job("sla-warnings", warn_due_soon, 300),
    Job("pause-ends", end_pauses, 300),
    Job("sms-sender", send_due_sms, 15),
    Job("whatsapp-sender", send_due_whatsapp, 15),
    Job("whatsapp-media", fetch_whatsapp_media, 60),
    Job("channels-purge", purge_channel_rows, 3600),
    Job("monthly-grades", grade_last_month, 3600),
    Job("report-counts", count_periods, 60),
    Job("feedback-calls", place_feedback_calls, 30),
    Job("call-backs", place_callbacks, 10),
    Job("recordings-retention", expire_conversations, 3600),
    Job("queue-history", import_queue_log, 60),
)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def cron_every(seconds: int) -> str:
    """A cron line for "every `seconds`", on the clock (croniter's sixth field is seconds)."""
    if 0 < seconds < 60 and 60 % seconds == 0:
        return f"* * * * * */{seconds}"
    minutes, rest = divmod(seconds, 60)
    if not rest and 0 < minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *"
    hours, rest = divmod(seconds, 3600)
    if not rest and 0 < hours <= 24 and 24 % hours == 0:
        return f"0 */{hours} * * *"
    raise ValueError(f"every {seconds} s does not divide a minute, an hour or a day evenly")


def intervals(settings: Settings) -> dict[str, int]:
    """Each job's interval in seconds (the housekeeping's too, on PostgreSQL): its own, or the one
    HELPLINE_JOB_EVERY gives it."""
    every = {job.name: job.every_s for job in JOBS}
    if is_postgres(settings.database_url):
        every[STALLED_JOBS] = STALLED_EVERY_S
    for name, value in settings.job_every:
        if name not in every:
            raise ValueError(f"HELPLINE_JOB_EVERY names no job {name!r} (jobs: {', '.join(every)})")
        if not value.isdigit():
            raise ValueError(f"HELPLINE_JOB_EVERY: {name}={value!r} must be a whole number of seconds")
        every[name] = int(value)
    return every


def schedules(settings: Settings) -> dict[str, str]:
    """Each job's cron line, from its interval."""
    try:
        return {name: cron_every(seconds) for name, seconds in intervals(settings).items()}
    except ValueError as exc:
        raise ValueError(f"HELPLINE_JOB_EVERY: {exc}") from None


def _noted(database: Database, note: Callable[..., None], **values) -> None:
    """What a run did, written for the administrators' screen (models/core/worker_jobs.py); a failure
    to write it is logged, never the job's."""
    try:
        with database.unit_of_work() as uow:
            note(session=uow.session, now=datetime.now(timezone.utc), **values)
            uow.commit()
    except Exception:
        log.exception("could not write %s %s", note.__name__, values.get("name", ""))


def in_parts(run: Callable[..., int], database: Database, parts: int, now: datetime | None = None) -> int:
    """`run(database=, now=)` `parts` times at once, each in a thread on its own connection, as of
    one moment; the rows they handled, summed. Each claims its rows with FOR UPDATE SKIP LOCKED, so
    the parts take different rows; while one part's Python plans a batch, another's is written."""
    if parts <= 1:
        return run(database=database, now=now)
    now = now or datetime.now(timezone.utc)
    with ThreadPoolExecutor(max_workers=parts, thread_name_prefix="part") as pool:
        runs = [pool.submit(run, database=database, now=now) for _ in range(parts)]
        return sum(part.result() for part in runs)


def _task(job: Job, parts: int):
    def run(context: JobContext, timestamp: int) -> int:
        database = context.additional_context["database"]
        try:
            rows = in_parts(job.run, database, parts if job.in_parts else 1)
        except Exception as exc:
            _noted(database, worker_jobs.record_failure, name=job.name, error=f"{type(exc).__name__}: {exc}",
                   run=context.job.id)
            raise
        _noted(database, worker_jobs.record_success, name=job.name, rows=rows)
        return rows

    run.__name__ = run.__qualname__ = job.name.replace("-", "_")
    return run


def _stalled_jobs(settings: Settings):
    """Runs left `doing` by a worker that died mid-run (no heartbeat for HELPLINE_JOB_STALLED_S): each
    goes back in the queue, due now, as a retry would; one that has had all its tries is failed.
    Both are recorded as the job's last failure, so the administrators' screen shows them: before the
    step, once per run and reason, so a worker killed in between loses nothing."""
    silent = f"the worker running it stopped (no heartbeat for {settings.job_stalled_s} s)"

    async def stalled_jobs(context: JobContext, timestamp: int) -> int:
        manager, database = context.app.job_manager, context.additional_context["database"]
        handled = 0
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=settings.job_stalled_s):
            spent = job.attempts >= settings.job_retries
            error = f"{silent}; failed after {job.attempts + 1} runs" if spent else f"{silent}; queued again"
            # The reason first, then the step: a worker killed between the two leaves the run `doing`,
            # and the next pass records it again and takes the step (the reason is never lost).
            await asyncio.to_thread(_noted, database, worker_jobs.record_failure, name=job.task_name,
                                    error=error, run=job.id, once=True)
            try:
                if spent:
                    await manager.finish_job(job, status=Status.FAILED, delete_job=False)
                else:
                    await manager.retry_job(job)
            except exceptions.UniqueViolation:  # its queueing lock: a later run waits; next pass
                log.info("stalled job %s (%s) left: a run of it is waiting", job.id, job.task_name)
                continue
            except exceptions.ConnectorException as exc:  # no longer `doing`: someone else saw to it
                log.info("stalled job %s (%s) left: %s", job.id, job.task_name, exc)
                continue
            log.warning("job %s (%s): %s", job.id, job.task_name, error)
            handled += 1
        return handled

    return stalled_jobs


async def _old_jobs(context: JobContext, timestamp: int) -> None:
    await builtin_tasks.remove_old_jobs(context, max_hours=KEEP_SUCCEEDED_HOURS)
    await asyncio.to_thread(_noted, context.additional_context["database"], worker_jobs.forget_failures)


def build_app(settings: Settings) -> procrastinate.App:
    """The engine with every job registered on its schedule: PostgreSQL's tables, or in memory."""
    url = settings.database_url
    if is_postgres(url):
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        connector = procrastinate.PsycopgConnector(conninfo=conninfo)
    else:
        connector = InMemoryConnector()
    if settings.job_stalled_s < 3:
        raise ValueError(f"HELPLINE_JOB_STALLED_S must be at least 3 seconds, not {settings.job_stalled_s}")
    app = procrastinate.App(connector=connector)
    retry = procrastinate.RetryStrategy(max_attempts=settings.job_retries,
                                        exponential_wait=settings.job_retry_wait_s)
    crons = schedules(settings)
    for job in JOBS:
        # queueing_lock: while one tick waits (or waits to be retried) the next is not queued behind it.
        parts = settings.sweep_parts if is_postgres(url) else 1  # SQLite has one writer at a time
        task = app.task(name=job.name, pass_context=True, retry=retry, queueing_lock=job.name)(_task(job, parts))
        app.periodic(cron=crons[job.name], periodic_id=job.name)(task)
    if STALLED_JOBS in crons:  # in memory, the one worker's jobs cannot outlive it
        # No `lock`: a pass cut by its worker's death would hold it and stop every later pass. Two
        # passes at once decide alike for a run, and the second's step is refused and skipped.
        task = app.task(name=STALLED_JOBS, pass_context=True, queueing_lock=STALLED_JOBS)(_stalled_jobs(settings))
        app.periodic(cron=crons[STALLED_JOBS], periodic_id=STALLED_JOBS)(task)
    old_jobs = app.task(name="old-jobs", pass_context=True, queueing_lock="old-jobs")(_old_jobs)
    app.periodic(cron="0 * * * *", periodic_id="old-jobs")(old_jobs)
    return app
