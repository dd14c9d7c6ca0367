"""`kill -9` of the worker (`helpline worker --once`, a real process) while it escalates overdue
complaints and while it hands SMS to a slow gateway; restarted, it finishes the work: every overdue
complaint is escalated exactly once, every SMS reaches the gateway at most once, and none is lost
silently — a message the gateway had when the worker died stays `sending`, its outcome unknown
to administrators, rather than being sent twice.

The kills land at random moments (seeded: HELPLINE_CRASH_SEED); the figures are printed (run with
-s) and recorded in docs/RELIABILITY.md."""
# ruff: noqa: F811  (the gateway fixture comes from tests/sms_fixtures.py)

from __future__ import annotations

import os
import random
import subprocess
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation
from models.core.base import utcnow
from models.core.db import Database
from models.notifications.monitor import health
from models.notifications.outbox import OutboxMessage, OutboxStatus, queue_sms
from models.notifications.templates import TEXTS
from tests.officer_actors import complaint_at
from tests.reliability.processes import HELPLINE, kill_9, seeded_database, start, stop, wait_until
from tests.sms_fixtures import sms_gateway  # noqa: F401  (fixture)

COMPLAINTS = 40         # overdue at L1: one escalation step each
OTHER_SMS = 20          # registration messages already waiting
GATEWAY_DELAY_S = 0.05  # the gateway answers slowly, so a kill finds a message in its hands
SEED = int(os.environ.get("HELPLINE_CRASH_SEED", "16"))


def _overdue_complaints(url: str) -> tuple[list[int], str]:
    """COMPLAINTS complaints registered now, and a moment just past all their L1 deadlines."""
    database = Database(url)
    with database.unit_of_work() as uow:
        complaints = [complaint_at(uow.session, utcnow()) for _ in range(COMPLAINTS)]
        for n in range(OTHER_SMS):
            queue_sms(session=uow.session, mobile=f"98765{n:05d}", body=f"आपकी शिकायत दर्ज हुई #{n}")
        uow.commit()
    database.dispose()
    late = max(c.due_at for c in complaints) + timedelta(minutes=1)
    return [c.id for c in complaints], late.isoformat()


def _count(reader, query) -> int:
    """A plain read (no write lock taken on SQLite), so watching never slows the worker down."""
    with reader.connect() as conn:
        return conn.scalar(query) or 0


def _run_to_the_end(env: dict[str, str], now: str) -> str:
    done = subprocess.run([str(HELPLINE), "worker", "--once", "--now", now], env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=300, check=False)
    for job in ("sla-sweep", "sms-sender"):
        assert f"{job}: failed" not in done.stdout and f"{job}:" in done.stdout, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
def test_kill_9_of_the_worker_repeats_no_escalation_and_no_sms(backend, tmp_path_factory, sms_gateway):
    url = seeded_database(backend, tmp_path_factory, "helpline_crash_worker")
    tmp = tmp_path_factory.mktemp("crash-worker")
    ids, now = _overdue_complaints(url)
    sms_gateway.delay_s = GATEWAY_DELAY_S
    templates = ",".join(f"{event.value}.{language}=11071700000000{n:05d}"
                         for n, (event, language) in enumerate(TEXTS))
    env = {"HELPLINE_DATABASE_URL": url, "HELPLINE_VAR_DIR": str(tmp), "HELPLINE_SMS_URL": sms_gateway.url,
           "HELPLINE_SMS_TEMPLATE_IDS": templates, "HELPLINE_AMI_PORT": "1"}  # no Asterisk: no calls
    log = tmp / "worker.log"
    database = Database(url)
    escalations = select(func.count()).select_from(ComplaintEvent).where(
        ComplaintEvent.complaint_id.in_(ids), ComplaintEvent.action == "escalate")
    rng = random.Random(SEED)
    # Where each kill lands: amid the escalations, then twice amid the SMS.
    reader = create_engine(url)
    moments = [("escalations", lambda: _count(reader, escalations), rng.randint(5, COMPLAINTS // 2)),
               ("SMS at the gateway", lambda: len(sms_gateway.received), rng.randint(5, 20)),
               ("SMS at the gateway", lambda: len(sms_gateway.received), rng.randint(25, 45))]
    killed_at = []
    worker = None
    try:
        for what, progress, target in moments:
            worker = start("worker", "--once", "--now", now, env=env, log=log)
            wait_until(lambda w=worker, p=progress, t=target: p() >= t or w.poll() is not None, timeout=120,
                       what=f"{target} {what}")
            assert worker.poll() is None, f"the worker ended before the kill:\n{log.read_text()[-3000:]}"
            kill_9(worker)
            killed_at.append(f"{progress()} {what}")
        _run_to_the_end(env, now)
        last = _run_to_the_end(env, now)  # and once more: nothing is left, nothing done again
    finally:
        stop(worker)
        reader.dispose()
    assert "sla-sweep: 0" in last and "sms-sender: 0" in last, last

    with database.unit_of_work() as uow:
        s = uow.session
        steps = Counter(s.scalars(select(ComplaintEvent.complaint_id).where(
            ComplaintEvent.complaint_id.in_(ids), ComplaintEvent.action == "escalate")))
        assert steps == Counter(ids), "each overdue complaint escalated exactly once"
        assert set(s.scalars(select(Complaint.level).where(Complaint.id.in_(ids)))) == {2}
        assert s.scalar(select(func.count()).select_from(Explanation).where(
            Explanation.complaint_id.in_(ids))) == COMPLAINTS
        escalated_sms = Counter(s.scalars(select(OutboxMessage.complaint_id).where(
            OutboxMessage.kind == "escalated")))
        assert escalated_sms == Counter(ids), "one 'escalated' SMS per step"
        messages = dict(s.execute(select(OutboxMessage.id, OutboxMessage.status)).all())
        seen = health(session=s, now=datetime.fromisoformat(now) + timedelta(hours=2))
    database.dispose()

    keys = Counter(r.headers["Idempotency-Key"] for r in sms_gateway.received)
    twice = [key for key, n in keys.items() if n > 1]
    assert not twice, f"sent twice: {twice}"
    by_status = Counter(messages.values())
    assert set(by_status) <= {OutboxStatus.SENT, OutboxStatus.SENDING}, by_status  # none left behind
    for message_id, status in messages.items():
        if status == OutboxStatus.SENT:
            assert keys[f"sms-outbox-{message_id}"] == 1, message_id
    # A message the gateway got while the worker died is not sent again, and shows as unknown.
    unknown = [i for i, status in messages.items() if status == OutboxStatus.SENDING]
    assert seen.unknown == len(unknown) and seen.ok == (not unknown)
    print(f"\nworker crash figures ({backend}, seed {SEED}): kills {len(killed_at)} (at {killed_at}), "
          f"complaints escalated {len(steps)} (escalation events {sum(steps.values())}), SMS {len(messages)}: "
          f"sent {by_status[OutboxStatus.SENT]}, outcome unknown {len(unknown)} "
          f"(of which the gateway had {sum(keys[f'sms-outbox-{i}'] for i in unknown)}), "
          f"gateway requests {sum(keys.values())}, sent twice {len(twice)}")
