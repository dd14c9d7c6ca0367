"""The worker's jobs on the job engine (scripts/jobs.py, docs/jobs.md): real `helpline worker`
processes, short schedules set through HELPLINE_JOB_EVERY, waits on rows with a deadline.

PostgreSQL: two workers share one database; each tick of a schedule is one job run once; a job
that fails is retried with back-off, then listed by `helpline jobs failed` and run again by
`helpline jobs retry`; with one worker killed the other does all the work. SQLite: the embedded
worker runs the jobs on their schedule."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from models.core.db import Database
from models.core.migrate import upgrade
from models.core.settings import get_settings
from scripts.jobs import JOBS, build_app, cron_every, schedules
from tests.conftest import fresh_postgres_database
from tests.models.test_two_workers import seeded_with_overdue
from tests.officer_actors import complaint_at, ist

HELPLINE = Path(sys.executable).with_name("helpline")
FAST = {"HELPLINE_JOB_EVERY": "sla-sweep=1,channels-purge=2", "HELPLINE_JOB_RETRIES": "2",
        "HELPLINE_JOB_RETRY_WAIT_S": "2", "HELPLINE_WORKER_CONCURRENCY": "2"}


def every(pairs):
    return dataclasses.replace(get_settings(), job_every=pairs)


def test_schedules_are_cron_lines_and_a_bad_override_is_named():
    assert [cron_every(s) for s in (1, 15, 60, 300, 3600, 86400)] == [
        "* * * * * */1", "* * * * * */15", "*/1 * * * *", "*/5 * * * *", "0 */1 * * *", "0 */24 * * *"]
    assert set(schedules(every((("sla-sweep", "5"),)))) == {job.name for job in JOBS}
    assert schedules(every((("sla-sweep", "5"),)))["sla-sweep"] == "* * * * * */5"
    for pairs, words in (((("sla-swep", "5"),), "names no job 'sla-swep'"),
                         ((("sla-sweep", "5s"),), "whole number of seconds"),
                         ((("sla-sweep", "45"),), "every 45 s does not divide")):
        with pytest.raises(ValueError, match="HELPLINE_JOB_EVERY") as error:
            schedules(every(pairs))
        assert words in str(error.value)
    postgres = dataclasses.replace(get_settings(), database_url="postgresql+psycopg://h@localhost/h")
    assert schedules(postgres)["stalled-jobs"] == "*/1 * * * *" and "stalled-jobs" not in schedules(every(()))
    with pytest.raises(ValueError, match="HELPLINE_JOB_STALLED_S must be at least 3 seconds, not 2"):
        build_app(dataclasses.replace(postgres, job_stalled_s=2))


def worker(url: str, log: Path, **env: str) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen([str(HELPLINE), "worker"], stdout=out, stderr=subprocess.STDOUT,
                                env=dict(os.environ, HELPLINE_DATABASE_URL=url, **env))


def helpline(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(HELPLINE), *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, HELPLINE_DATABASE_URL=url))


def waited(read, *, what: str, within: float = 90):
    """`read()`'s first truthy value, read again every 0.2 s; fails naming `what` at the deadline."""
    deadline = time.monotonic() + within
    while not (value := read()):
        assert time.monotonic() < deadline, f"not within {within:.0f} s: {what}"
        time.sleep(0.2)
    return value


@pytest.mark.slow
def test_two_workers_share_the_ticks_retry_a_failing_job_and_survive_one_killed_on_postgresql(tmp_path):
    url = fresh_postgres_database("helpline_job_engine")
    seeded_with_overdue(url, 3)
    engine = create_engine(url)

    def rows(sql: str, **params):
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    rows_before = rows("SELECT count(*) FROM complaint_events WHERE action = 'escalate'")[0][0]
    with engine.begin() as conn:  # channels-purge will fail: its table is gone
        conn.execute(text("ALTER TABLE mobile_codes RENAME TO mobile_codes_away"))
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = [worker(url, log, **FAST) for log in logs]
    try:
        failed = waited(lambda: rows("SELECT id FROM procrastinate_jobs WHERE task_name = 'channels-purge' "
                                     "AND status = 'failed' ORDER BY id LIMIT 1"),
                        what="channels-purge failed after its retries")[0][0]
        waited(lambda: rows("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'sla-sweep' "
                            "AND status = 'succeeded' HAVING count(*) >= 6"), what="six sweeps")
        assert [w.poll() for w in workers] == [None, None], [log.read_text()[-2000:] for log in logs]

        # Each tick of each schedule is one job, and no job that succeeded was started twice.
        assert rows("SELECT task_name, args->>'timestamp' FROM procrastinate_jobs "
                    "GROUP BY 1, 2 HAVING count(*) > 1") == []
        assert rows("SELECT j.id FROM procrastinate_jobs j JOIN procrastinate_events e ON e.job_id = j.id "
                    "WHERE j.status = 'succeeded' AND e.type = 'started' GROUP BY j.id HAVING count(*) > 1") == []
        assert len(rows("SELECT DISTINCT worker_id FROM procrastinate_jobs WHERE worker_id IS NOT NULL")) == 2
        assert rows("SELECT count(*) FROM complaint_events WHERE action = 'escalate'")[0][0] > rows_before

        # The failing job: three runs, the retries 2 s then 4 s after (HELPLINE_JOB_RETRY_WAIT_S=2, squared).
        events = rows("SELECT type::text, at FROM procrastinate_events WHERE job_id = :id ORDER BY id", id=failed)
        assert [kind for kind, _ in events] == ["deferred", "started", "scheduled", "deferred_for_retry",
                                                "started", "scheduled", "deferred_for_retry", "started", "failed"]
        waits = [(events[i][1] - events[i + 1][1]).total_seconds() for i in (2, 5)]
        assert 1.9 <= waits[0] <= 3 and 3.9 <= waits[1] <= 5, waits
        assert rows("SELECT attempts FROM procrastinate_jobs WHERE id = :id", id=failed) == [(3,)]

        shown = helpline(url, "jobs", "failed")
        assert shown.returncode == 0 and f"{failed}\tchannels-purge\tdue " in shown.stdout, shown
        assert "after 3 attempts" in shown.stdout and 'relation "mobile_codes" does not exist' in shown.stdout

        # One worker killed: the other takes every later tick.
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=30)
        killed_at = rows("SELECT extract(epoch FROM now())")[0][0]
        def sweeps_since_kill():
            found = rows("SELECT worker_id FROM procrastinate_jobs WHERE task_name = 'sla-sweep' "
                         "AND status = 'succeeded' AND (args->>'timestamp')::bigint > :at + 1", at=killed_at)
            return found if len(found) >= 3 else None

        later = waited(sweeps_since_kill, what="three sweeps after the kill")
        assert len({worker_id for worker_id, in later}) == 1

        # The operator puts the failed job back once its cause is fixed; the live worker runs it.
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE mobile_codes_away RENAME TO mobile_codes"))
        retried = waited(lambda: (r := helpline(url, "jobs", "retry", str(failed))).returncode == 0 and r,
                         what="helpline jobs retry (a run of channels-purge may be waiting)")
        assert f"job {failed} (channels-purge) queued again" in retried.stdout
        waited(lambda: rows("SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status = 'succeeded'", id=failed),
               what="the retried job succeeded")
        not_failed = helpline(url, "jobs", "retry", str(failed))
        assert not_failed.returncode == 1 and f"job {failed} is not a failed job" in not_failed.stderr

        workers[1].send_signal(signal.SIGTERM)  # a graceful stop
        assert workers[1].wait(timeout=60) == 0, logs[1].read_text()[-2000:]
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
        engine.dispose()


@pytest.mark.slow
def test_the_embedded_worker_runs_the_jobs_on_their_schedule_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'helpline.db'}"
    first, = seeded_with_overdue(url, 1)
    engine = create_engine(url)

    def escalations(complaint_id: int) -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM complaint_events WHERE complaint_id = :id "
                                     "AND action = 'escalate'"), {"id": complaint_id}).scalar_one()

    process = worker(url, tmp_path / "worker.log", **FAST)
    try:
        waited(lambda: escalations(first), what="the sweep escalated the overdue complaint")
        database = Database(url)  # a complaint overdue only now is swept by a later tick
        with database.unit_of_work() as uow:
            second = complaint_at(uow.session, ist("2026-09-07 10:00")).id
            uow.commit()
        database.dispose()
        waited(lambda: escalations(second), what="a later sweep escalated the new complaint")
        assert process.poll() is None
        with engine.connect() as conn:  # what /admin/jobs shows on SQLite: each job as the worker last saw it
            seen = dict(conn.execute(text("SELECT name, every_s FROM worker_jobs WHERE succeeded_at IS NOT NULL")).all())
        assert seen["sla-sweep"] == 1 and "stalled-jobs" not in seen, seen
        shown = helpline(url, "jobs", "failed")
        assert shown.returncode == 1 and "keeps its jobs in memory" in shown.stderr
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0, (tmp_path / "worker.log").read_text()[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        engine.dispose()


def test_a_run_stalled_by_a_killed_worker_is_queued_again_and_one_out_of_tries_is_failed_on_postgresql(tmp_path):
    """A worker SIGKILLed in the middle of a run (blocked on a table lock the test holds) leaves it
    `doing`; the next worker's housekeeping finds it silent past HELPLINE_JOB_STALLED_S, queues it
    again and runs it; a stalled run that had had all its tries is failed, with the reason recorded."""
    url = fresh_postgres_database("helpline_stalled_jobs")
    upgrade(url)
    engine = create_engine(url)
    quick = {"HELPLINE_JOB_STALLED_S": "3", "HELPLINE_JOB_EVERY": "stalled-jobs=1,channels-purge=86400",
             "HELPLINE_JOB_RETRIES": "2"}

    def rows(sql: str, **params):
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    app = build_app(dataclasses.replace(get_settings(), database_url=url))
    with app.open():
        run = app.configure_task("channels-purge").defer(timestamp=int(time.time()))
    with engine.begin() as conn:  # a run that had its tries (2 retries) on a worker long gone
        gone = conn.execute(text("INSERT INTO procrastinate_workers (last_heartbeat) "
                                 "VALUES (now() - interval '1 hour') RETURNING id")).scalar_one()
        spent = conn.execute(text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, queueing_lock, args, status, attempts, worker_id) "
            "VALUES ('default', 'monthly-grades', 'x', '{\"timestamp\": 0}', 'doing', 2, :w) RETURNING id"),
            {"w": gone}).scalar_one()
    locker = engine.connect()
    holding = locker.begin()
    locker.execute(text("LOCK TABLE mobile_codes IN ACCESS EXCLUSIVE MODE"))  # channels-purge waits on it
    first = worker(url, tmp_path / "worker-a.log", **quick)
    second = None
    try:
        waited(lambda: rows("SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status = 'doing'", id=run),
               what="the first worker started the run")
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=30) == -signal.SIGKILL
        holding.rollback()
        assert rows("SELECT status::text FROM procrastinate_jobs WHERE id = :id", id=run) == [("doing",)]

        second = worker(url, tmp_path / "worker-b.log", **quick)
        waited(lambda: rows("SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status = 'succeeded'", id=run),
               what="the stalled run queued again and run by the second worker")
        events = [kind for kind, in rows("SELECT type::text FROM procrastinate_events WHERE job_id = :id "
                                          "ORDER BY id", id=run)]
        assert events == ["deferred", "started", "scheduled", "deferred_for_retry", "started", "succeeded"], events
        waited(lambda: rows("SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status = 'failed'", id=spent),
               what="the run out of tries failed")
        # Each run's own record (a job's latest failure may be a later run's: the first worker can die
        # amid a periodic run of its own, which the second then queues again too).
        recorded = {job: waited(lambda job=job: rows("SELECT error FROM worker_job_failures WHERE run = :id", id=job),
                                what=f"run {job}'s failure recorded")[0][0] for job in (run, spent)}
        assert recorded[run] == "the worker running it stopped (no heartbeat for 3 s); queued again", recorded
        assert recorded[spent].endswith("; failed after 3 runs"), recorded
        shown = helpline(url, "jobs", "failed")
        assert f"{spent}\tmonthly-grades\t" in shown.stdout and "failed after 3 runs" in shown.stdout, shown
        assert f"{run}\t" not in shown.stdout
    finally:
        locker.close()
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
        engine.dispose()
