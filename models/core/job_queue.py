"""The job engine's queue as an administrator sees it, on PostgreSQL: failed runs with their error,
runs stalled in `doing` (their worker gone silent), what waits and runs now, the live workers; and a
failed run put back in the queue, audited. Read from procrastinate's tables (migration 0017) with
plain SQL, so neither the desk nor the domain needs the engine itself (docs/jobs.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.people import audit

log = logging.getLogger(__name__)

# Failed runs, newest first: when each tick was due, when it failed, the error the worker recorded.
FAILED = text("""
    SELECT j.id, j.task_name, j.attempts, to_timestamp((j.args ->> 'timestamp')::bigint) AS due_at,
           (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'failed') AS failed_at,
           (SELECT f.error FROM worker_job_failures f WHERE f.run = j.id ORDER BY f.id DESC LIMIT 1) AS error
      FROM procrastinate_jobs j
     WHERE j.status = 'failed' ORDER BY j.id DESC LIMIT :limit""")

# Runs in `doing` whose worker is gone (pruned) or has sent no heartbeat for :silent_s seconds:
# procrastinate's own test for a stalled job (select_stalled_jobs_by_heartbeat).
STALLED = text("""
    SELECT j.id, j.task_name, j.attempts, j.worker_id, w.last_heartbeat,
           (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'started') AS started_at
      FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
     WHERE j.status = 'doing'
       AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => :silent_s))
     ORDER BY j.id""")

NOW = text("SELECT task_name, status::text, count(*) FROM procrastinate_jobs "
           "WHERE status IN ('todo', 'doing') GROUP BY 1, 2")
LIVE_WORKERS = text("SELECT count(*) FROM procrastinate_workers "
                    "WHERE last_heartbeat >= now() - make_interval(secs => :silent_s)")


class NotFailed(Exception):
    """Only a failed run can be put back in the queue; the others are still the engine's."""

    code = "job_not_failed"


class RunWaiting(Exception):
    """A run of the same job already waits (its queueing lock): the failed one cannot join it."""

    code = "job_run_waiting"


@dataclass(frozen=True)
class QueueNow:
    waiting: dict[str, int]   # per job: runs queued (todo)
    running: dict[str, int]   # per job: runs under way (doing), stalled ones included
    live_workers: int         # workers heard from within the stall limit


def on_job_engine(session: Session) -> bool:
    """Whether the engine keeps its jobs in this database's tables (PostgreSQL) or in memory (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def failed_runs(*, session: Session, limit: int = 50) -> list:
    return list(session.execute(FAILED, {"limit": limit}))


def stalled_runs(*, session: Session, silent_s: int) -> list:
    return list(session.execute(STALLED, {"silent_s": silent_s}))


def queue_now(*, session: Session, silent_s: int) -> QueueNow:
    waiting: dict[str, int] = {}
    running: dict[str, int] = {}
    for name, status, count in session.execute(NOW):
        (waiting if status == "todo" else running)[name] = count
    return QueueNow(waiting, running, session.execute(LIVE_WORKERS, {"silent_s": silent_s}).scalar_one())


def retry_failed(*, session: Session, run_id: int, now: datetime) -> str:
    """Put failed run `run_id` back in the queue, due now, and audit it; returns the job's name."""
    found = session.execute(text("SELECT task_name, status::text AS status FROM procrastinate_jobs "
                                 "WHERE id = :id FOR UPDATE"), {"id": run_id}).first()
    if found is None or found.status != "failed":
        raise NotFailed(f"job {run_id} is not a failed job")
    try:
        with session.begin_nested():
            session.execute(text("SELECT procrastinate_retry_job_v2(CAST(:id AS bigint), CAST(:at AS timestamptz), "
                                 "NULL, NULL, NULL)"), {"id": run_id, "at": now})
    except IntegrityError as exc:
        raise RunWaiting(f"job {run_id} ({found.task_name}): a run of it is already waiting") from exc
    audit.record(session=session, action="job_retried", subject=f"job:{run_id}", note=found.task_name)
    log.info("job %s (%s) queued again by %s", run_id, found.task_name, audit.current_actor())
    return found.task_name
