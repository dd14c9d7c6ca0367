"""The worker's jobs, one registry for both modes, on the procrastinate job engine (docs/jobs.md).

Each job is a small function(database=, now=) -> rows handled, on a schedule, retried with back-off
when it raises. On PostgreSQL the engine keeps its jobs in its own tables: each tick of a schedule
is one row, taken by one worker process on any machine (FOR UPDATE SKIP LOCKED), a failed job stays
visible. On SQLite (one machine) the same tasks, schedules and retries run on the engine's in-memory
connector inside the one worker process: nothing persists, which suits jobs that are each an
idempotent sweep over the database's state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import procrastinate
from procrastinate import builtin_tasks
from procrastinate.job_context import JobContext
from procrastinate.testing import InMemoryConnector
from sqlalchemy.engine import make_url

from ivr.outbound import place_callbacks, place_feedback_calls
from models.calls.queue_history import import_queue_log
from models.calls.recordings import expire_conversations
from models.channels.housekeeping import purge_channel_rows
from models.channels.whatsapp_media import fetch_whatsapp_media
from models.channels.whatsapp_sender import send_due_whatsapp
from models.complaints.sla import end_pauses, sweep_overdue, warn_due_soon
from models.core.settings import Settings
from models.notifications.sender import send_due_sms
from models.reports.jobs import grade_last_month

log = logging.getLogger(__name__)

KEEP_SUCCEEDED_HOURS = 72  # finished runs kept for `helpline jobs` to show; failed ones until retried


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., int]  # run(database=..., now=...) -> how many rows it handled
    every_s: int


JOBS = (
    Job("sla-sweep", sweep_overdue, 60),
    Job("sla-warnings", warn_due_soon, 300),
    Job("pause-ends", end_pauses, 300),
    Job("sms-sender", send_due_sms, 15),
    Job("whatsapp-sender", send_due_whatsapp, 15),
    Job("whatsapp-media", fetch_whatsapp_media, 60),
    Job("channels-purge", purge_channel_rows, 3600),
    Job("monthly-grades", grade_last_month, 3600),
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


def schedules(settings: Settings) -> dict[str, str]:
    """Each job's cron line: its own interval, or the one HELPLINE_JOB_EVERY gives it."""
    every = {job.name: job.every_s for job in JOBS}
    for name, value in settings.job_every:
        if name not in every:
            raise ValueError(f"HELPLINE_JOB_EVERY names no job {name!r} (jobs: {', '.join(every)})")
        if not value.isdigit():
            raise ValueError(f"HELPLINE_JOB_EVERY: {name}={value!r} must be a whole number of seconds")
        every[name] = int(value)
    try:
        return {name: cron_every(seconds) for name, seconds in every.items()}
    except ValueError as exc:
        raise ValueError(f"HELPLINE_JOB_EVERY: {exc}") from None


def _task(job: Job):
    def run(context: JobContext, timestamp: int) -> int:
        return job.run(database=context.additional_context["database"], now=None)

    run.__name__ = run.__qualname__ = job.name.replace("-", "_")
    return run


async def _old_jobs(context: JobContext, timestamp: int) -> None:
    await builtin_tasks.remove_old_jobs(context, max_hours=KEEP_SUCCEEDED_HOURS)


def build_app(settings: Settings) -> procrastinate.App:
    """The engine with every job registered on its schedule: PostgreSQL's tables, or in memory."""
    url = settings.database_url
    if is_postgres(url):
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        connector = procrastinate.PsycopgConnector(conninfo=conninfo)
    else:
        connector = InMemoryConnector()
    app = procrastinate.App(connector=connector)
    retry = procrastinate.RetryStrategy(max_attempts=settings.job_retries,
                                        exponential_wait=settings.job_retry_wait_s)
    for job, cron in zip(JOBS, schedules(settings).values()):
        # queueing_lock: while one tick waits (or waits to be retried) the next is not queued behind it.
        task = app.task(name=job.name, pass_context=True, retry=retry, queueing_lock=job.name)(_task(job))
        app.periodic(cron=cron, periodic_id=job.name)(task)
    old_jobs = app.task(name="old-jobs", pass_context=True, queueing_lock="old-jobs")(_old_jobs)
    app.periodic(cron="0 * * * *", periodic_id="old-jobs")(old_jobs)
    return app
