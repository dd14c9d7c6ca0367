"""The worker's jobs as last seen, one row each: its schedule, its last success (and how many rows it
handled), its last failure with the error; and each failed run with its own error, kept 30 days.
The worker writes them on SQLite and PostgreSQL alike: the job engine itself keeps no error text,
and on SQLite keeps nothing (docs/jobs.md)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, String, Text, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base

log = logging.getLogger(__name__)
ERROR_CHARS = 2000  # the exception's own line; the traceback stays in the worker's log
KEEP_FAILURES = timedelta(days=30)


class WorkerJob(Base):
    __tablename__ = "worker_jobs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)   # sla-sweep, sms-sender, ...
    every_s: Mapped[int]
    registered_at: Mapped[datetime]                                   # when a worker last started with it
    succeeded_at: Mapped[datetime | None]
    rows_handled: Mapped[int | None]                                  # by its last successful run
    failed_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")              # of its last failure
    failed_run: Mapped[int | None] = mapped_column(BigInteger)        # the engine's job ID of that failure


class WorkerJobFailure(Base):
    __tablename__ = "worker_job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    run: Mapped[int | None] = mapped_column(BigInteger, index=True)   # the engine's job ID
    name: Mapped[str] = mapped_column(String(40))
    failed_at: Mapped[datetime] = mapped_column(index=True)
    error: Mapped[str] = mapped_column(Text)


def register(*, session: Session, every_s: dict[str, int], now: datetime) -> None:
    """A starting worker's jobs and their intervals; what earlier runs recorded is kept."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for name, seconds in every_s.items():
        insert = dialect.insert(WorkerJob).values(name=name, every_s=seconds, registered_at=now, error="")
        session.execute(insert.on_conflict_do_update(index_elements=[WorkerJob.name],
                                                     set_={"every_s": seconds, "registered_at": now}))


def record_success(*, session: Session, name: str, rows: int, now: datetime) -> None:
    session.execute(update(WorkerJob).where(WorkerJob.name == name).values(succeeded_at=now, rows_handled=rows))


def record_failure(*, session: Session, name: str, error: str, run: int | None, now: datetime,
                   once: bool = False) -> None:
    """A run that raised, or that the worker running it never finished; `error` is cut to fit.
    `once`: not again if this run has this error recorded already (a step retried after a crash)."""
    error = error[:ERROR_CHARS]
    if once and session.scalar(select(WorkerJobFailure.id).where(WorkerJobFailure.run == run,
                                                                  WorkerJobFailure.error == error).limit(1)):
        return
    session.execute(update(WorkerJob).where(WorkerJob.name == name).values(failed_at=now, error=error, failed_run=run))
    session.add(WorkerJobFailure(run=run, name=name, failed_at=now, error=error))


def forget_failures(*, session: Session, now: datetime) -> int:
    """Failed runs' errors older than KEEP_FAILURES removed; how many."""
    return session.execute(delete(WorkerJobFailure).where(WorkerJobFailure.failed_at < now - KEEP_FAILURES)).rowcount


def listing(*, session: Session) -> list[WorkerJob]:
    """Every job a worker has registered, by name."""
    return list(session.scalars(select(WorkerJob).order_by(WorkerJob.name)))
