"""`helpline worker [--once [--now ISO-8601]]`: the scheduled jobs, each a small function on its interval."""

from __future__ import annotations

import argparse
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from ivr.outbound import place_callbacks, place_feedback_calls
from models.calls.queue_history import import_queue_log
from models.calls.recordings import expire_conversations
from models.complaints.sla import end_pauses, sweep_overdue, warn_due_soon
from models.core.db import Database
from models.core.settings import Settings, get_settings
from models.channels.housekeeping import purge_channel_rows
from models.channels.whatsapp_media import fetch_whatsapp_media
from models.channels.whatsapp_sender import send_due_whatsapp
from models.notifications.sender import send_due_sms
from models.reports.jobs import grade_last_month

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., int]  # run(database=..., now=...) -> how many rows it handled
    every_s: float


JOBS = [
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
]


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


def run_worker(settings: Settings, stop: threading.Event | None = None) -> None:
    """Run every job on its interval until `stop` is set; a failing run is logged, not fatal."""
    stop = stop or threading.Event()
    database = Database(settings.database_url)
    next_run = {job.name: 0.0 for job in JOBS}
    log.info("worker started: %s", ", ".join(job.name for job in JOBS))
    while not stop.is_set():
        now = time.monotonic()
        for job in JOBS:
            if now >= next_run[job.name]:
                run_job(job, database)
                next_run[job.name] = now + job.every_s
        stop.wait(1.0)
    database.dispose()


def parse_now(text: str) -> datetime:
    """An ISO-8601 moment; one without a zone is taken as UTC."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--now must be an ISO-8601 date and time, not {text!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def cli(args: argparse.Namespace) -> int:
    """`helpline worker`: forever, or every job once with --once (as of --now)."""
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
