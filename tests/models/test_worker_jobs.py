"""What the worker writes for /admin/jobs (models/core/worker_jobs.py): a restart keeps each job's
last outcomes, a failure is recorded per run with its error cut to fit, old failures are forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models.core import worker_jobs
from models.core.worker_jobs import ERROR_CHARS, KEEP_FAILURES, WorkerJob, WorkerJobFailure

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)


def test_a_restart_keeps_the_outcomes_and_each_failed_run_keeps_its_error(session):
    worker_jobs.register(session=session, every_s={"sla-sweep": 60, "sms-sender": 15}, now=T0)
    worker_jobs.record_success(session=session, name="sla-sweep", rows=4, now=T0)
    worker_jobs.record_failure(session=session, name="sms-sender", error="x" * (ERROR_CHARS + 50), run=7, now=T0)
    worker_jobs.record_failure(session=session, name="sms-sender", error="OSError: refused", run=8,
                               now=T0 + timedelta(minutes=1))
    worker_jobs.register(session=session, every_s={"sla-sweep": 30, "sms-sender": 15}, now=T0 + timedelta(hours=1))
    session.expire_all()
    sweep, sender = worker_jobs.listing(session=session)
    assert (sweep.name, sweep.every_s, sweep.rows_handled, sweep.succeeded_at) == ("sla-sweep", 30, 4, T0)
    assert sweep.registered_at == T0 + timedelta(hours=1) and sweep.failed_at is None and sweep.error == ""
    assert (sender.error, sender.failed_run) == ("OSError: refused", 8)
    runs = dict(session.execute(select(WorkerJobFailure.run, WorkerJobFailure.error)).all())
    assert runs == {7: "x" * ERROR_CHARS, 8: "OSError: refused"}

    forgotten = worker_jobs.forget_failures(session=session, now=T0 + KEEP_FAILURES + timedelta(seconds=30))
    assert forgotten == 1
    assert session.scalars(select(WorkerJobFailure.run)).all() == [8]
    assert session.get(WorkerJob, "sms-sender").error == "OSError: refused"  # the job's last failure stays


def test_a_stalled_runs_reason_recorded_before_its_step_is_recorded_once_when_the_step_is_taken_again(session):
    """The housekeeping records a stalled run's reason before it fails or requeues the run; a worker
    killed in between leaves the run stalled, the next pass records again with `once`: one row."""
    worker_jobs.register(session=session, every_s={"monthly-grades": 3600}, now=T0)
    reason = "the worker running it stopped (no heartbeat for 30 s); failed after 3 runs"
    for attempt in range(2):
        worker_jobs.record_failure(session=session, name="monthly-grades", error=reason, run=41,
                                   now=T0 + timedelta(seconds=attempt), once=True)
    worker_jobs.record_failure(session=session, name="monthly-grades", error="OSError: refused", run=41,
                               now=T0 + timedelta(seconds=5), once=True)  # another reason is a new row
    errors = session.scalars(select(WorkerJobFailure.error).where(WorkerJobFailure.run == 41)
                             .order_by(WorkerJobFailure.id)).all()
    assert errors == [reason, "OSError: refused"]
