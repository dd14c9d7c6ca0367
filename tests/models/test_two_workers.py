"""Two real worker processes sweeping one PostgreSQL at the same moment never escalate a complaint
twice: rows are claimed with FOR UPDATE SKIP LOCKED and re-checked once held."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from models.complaints.complaint import ComplaintEvent
from models.complaints.explanations import Explanation
from models.core.db import Database
from models.core.migrate import upgrade
from tests.conftest import fresh_postgres_database
from tests.officer_actors import complaint_at, ist

HELPLINE = Path(sys.executable).with_name("helpline")
COMPLAINTS = 150  # within one sweep batch (200), so one pass of the two handles them all


def seeded_with_overdue(url: str, count: int) -> list[int]:
    """Migrate and seed `url` (reference data, demo officers) with `count` complaints filed on
    2026-09-07, past their L1 deadline from 2026-09-21; their IDs."""
    from models.seed.demo import seed_officers
    from models.seed.reference import seed_reference

    upgrade(url)
    database = Database(url)
    with database.unit_of_work() as uow:
        seed_reference(session=uow.session)
        seed_officers(session=uow.session)
        ids = [complaint_at(uow.session, ist("2026-09-07 10:00")).id for _ in range(count)]
        uow.commit()
    database.dispose()
    return ids


def test_two_worker_processes_escalate_each_complaint_once_on_postgresql():
    url = fresh_postgres_database("helpline_two_workers")
    ids = seeded_with_overdue(url, COMPLAINTS)
    database = Database(url)
    env = dict(os.environ, HELPLINE_DATABASE_URL=url)
    now = "2026-09-21T10:00:00+05:30"  # past the L1 deadline (7 working days), before L2's
    workers = [subprocess.Popen([str(HELPLINE), "worker", "--once", "--now", now], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    handled = [int(out.split("sla-sweep:")[1].split()[0]) for out, _ in outputs]
    assert sum(handled) == COMPLAINTS, handled
    with database.unit_of_work() as uow:
        s = uow.session
        per_complaint = dict(s.execute(
            select(ComplaintEvent.complaint_id, func.count()).where(
                ComplaintEvent.complaint_id.in_(ids), ComplaintEvent.action == "escalate")
            .group_by(ComplaintEvent.complaint_id)).all())
        assert set(per_complaint) == set(ids) and set(per_complaint.values()) == {1}
        explanations = s.scalar(select(func.count()).select_from(Explanation)
                                .where(Explanation.complaint_id.in_(ids)))
        assert explanations == COMPLAINTS
    database.dispose()


def test_a_step_being_taken_holds_the_complaint_from_the_sweep_on_postgresql():
    from models.complaints.actions import perform
    from models.complaints.complaint import Complaint
    from models.complaints.sla import sweep_overdue
    from tests.officer_actors import officer_actor

    url = fresh_postgres_database("helpline_step_lock")
    complaint_id, = seeded_with_overdue(url, 1)
    database = Database(url)
    late = ist("2026-09-21 10:00")
    with database.unit_of_work() as officer:  # the tehsildar resolves, not yet committed
        complaint = officer.session.get(Complaint, complaint_id)
        perform(session=officer.session, complaint=complaint, actor=officer_actor(officer.session, "REV-L1-RPR-ABH"),
                action="resolve", data={"resolution": "नामांतरण कर दिया गया"})
        assert sweep_overdue(database=database, now=late) == 0, "the held row is skipped"
        officer.commit()
    assert sweep_overdue(database=database, now=late) == 0, "resolved: nothing to escalate"
    with database.unit_of_work() as uow:
        done = uow.session.get(Complaint, complaint_id)
        assert (done.status.value, done.level, done.resolved_level) == ("resolved", 1, 1)
    database.dispose()


def test_the_sweep_in_parts_escalates_each_complaint_once_on_postgresql():
    """The worker's sweep in HELPLINE_SWEEP_PARTS parts at once (threads of one process, each on
    its own connection): small batches, so both parts claim rows; each complaint moves once."""
    import functools
    from datetime import datetime

    from models.complaints.sla import sweep_overdue
    from scripts.jobs import in_parts

    url = fresh_postgres_database("helpline_sweep_parts")
    ids = seeded_with_overdue(url, COMPLAINTS)
    database = Database(url)
    now = datetime.fromisoformat("2026-09-21T10:00:00+05:30")
    claimed: list[int] = []

    def part(**kwargs) -> int:
        handled = functools.partial(sweep_overdue, batch=10)(**kwargs)
        claimed.append(handled)
        return handled

    assert in_parts(part, database, 2, now) == COMPLAINTS
    assert len(claimed) == 2 and all(claimed), claimed  # both parts took rows
    with database.unit_of_work() as uow:
        per_complaint = dict(uow.session.execute(
            select(ComplaintEvent.complaint_id, func.count()).where(
                ComplaintEvent.complaint_id.in_(ids), ComplaintEvent.action == "escalate")
            .group_by(ComplaintEvent.complaint_id)).all())
    assert set(per_complaint) == set(ids) and set(per_complaint.values()) == {1}
    database.dispose()
