"""The sweep escalates a batch of overdue complaints in sets (a few statements for the batch) and
leaves exactly the rows the one-complaint path leaves; a bad row in the batch is skipped alone."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import event, insert, select

from models.complaints.alerts import Alert
from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation
from models.complaints.lifecycle import escalate
from models.complaints.sla import handle_overdue, sweep_overdue
from models.core.db import unit_of_work
from models.notifications.outbox import OutboxMessage
from tests.officer_actors import complaint_at, ist

REGISTERED = ist("2026-02-23 10:00")
LATE = ist("2026-04-20 11:00")  # every deadline of the complaints below has passed
BATCH_FAILED = "failed as a whole"


def _cases(session) -> list[int]:
    """One complaint of each kind the sweep meets: at L1 (with and without a mobile to tell), at
    L2, at L4 (flagged, with an alert, not moved)."""
    made = []
    for climbs, mobile in ((0, True), (0, False), (1, True), (3, True)):
        complaint = complaint_at(session, REGISTERED)
        for step in range(climbs):
            escalate(session=session, complaint=complaint, at=REGISTERED + timedelta(hours=step + 1))
        if not mobile:
            complaint.mobile = ""
        made.append(complaint.id)
    session.flush()
    return made


def _rows(session, complaint_id: int) -> dict:
    """Everything the sweep may write about a complaint, without what differs between two
    complaints registered alike (IDs, mobile) or what the database stamps (an SMS's queue time)."""
    complaint = session.get(Complaint, complaint_id)
    same = {c.key: getattr(complaint, c.key) for c in Complaint.__table__.columns
            if c.key not in ("id", "public_id", "mobile")}

    def of(model, *skip):
        rows = session.scalars(select(model).where(model.complaint_id == complaint_id).order_by(model.id))
        return [{c.key: getattr(row, c.key) for c in model.__table__.columns
                 if c.key not in ("id", "complaint_id", "mobile", *skip)} for row in rows]

    sms = of(OutboxMessage, "created_at", "next_attempt_at")
    for message in sms:
        message["body"] = message["body"].replace(complaint.public_id, "<ID>")
    alerts = of(Alert)
    for alert in alerts:
        alert["key"] = alert["key"].replace(f":{complaint_id}:", ":<ID>:")
    return {"complaint": same, "history": of(ComplaintEvent), "sms": sms,
            "explanations": of(Explanation), "alerts": alerts}


def test_the_batch_writes_the_same_rows_as_one_complaint_at_a_time(engine, caplog):
    with unit_of_work() as uow:
        one_by_one, in_sets = _cases(uow.session), _cases(uow.session)
        uow.commit()
    for complaint_id in one_by_one:
        with unit_of_work() as uow:
            assert handle_overdue(session=uow.session, complaint=uow.session.get(Complaint, complaint_id),
                                  now=LATE)
            uow.commit()
    with caplog.at_level(logging.WARNING, logger="models.complaints.sla"):
        assert sweep_overdue(now=LATE) >= len(in_sets)  # and any other test's overdue leftovers
    assert not [r for r in caplog.records if BATCH_FAILED in r.getMessage()], "written as a set"
    with unit_of_work() as uow:
        for alone, together in zip(one_by_one, in_sets, strict=True):
            expected, got = _rows(uow.session, alone), _rows(uow.session, together)
            assert got == expected
        levels = [_rows(uow.session, c)["complaint"]["level"] for c in in_sets]
        assert levels == [2, 2, 3, 4]
        assert [len(_rows(uow.session, c)["sms"]) for c in in_sets] == [1, 0, 2, 3]  # each escalation told, not the flag
        assert [len(_rows(uow.session, c)["alerts"]) for c in in_sets] == [0, 0, 0, 1]


def test_a_row_without_an_officer_above_is_skipped_and_the_rest_of_its_batch_escalated(engine, caplog):
    with unit_of_work() as uow:
        complaints = [complaint_at(uow.session, REGISTERED) for _ in range(4)]
        bad = complaints[1]
        bad.district_code = None  # no L2 officer covers it
        uow.commit()
        ids, bad_id, history = [c.id for c in complaints], bad.id, len(bad.history)
    with caplog.at_level(logging.WARNING, logger="models.complaints.sla"):
        assert sweep_overdue(now=LATE, batch=10) >= 3
    skipped = [r.getMessage() for r in caplog.records
               if "skipped" in r.getMessage() and any(f"complaint {i}:" in r.getMessage() for i in ids)]
    assert len(skipped) == 1 and f"complaint {bad_id}:" in skipped[0] and "no L2 officer" in skipped[0]
    assert not [r for r in caplog.records if BATCH_FAILED in r.getMessage()], "the others in one set"
    with unit_of_work() as uow:
        s = uow.session
        assert [s.get(Complaint, i).level for i in ids] == [2, 1, 2, 2]
        left = s.get(Complaint, bad_id)
        assert (left.status.value, len(left.history), left.overdue_flagged_at) == ("assigned", history, None)
        asked = s.scalars(select(Explanation.complaint_id).where(Explanation.complaint_id.in_(ids)))
        assert sorted(asked) == sorted(i for i in ids if i != bad_id)


def test_a_batch_whose_write_fails_goes_again_one_complaint_at_a_time(engine, caplog):
    """Someone asks one complaint's officer to explain between the batch's look-up and its INSERT:
    the batch's write breaks on the unique explanation, is rolled back (that row with it), and the
    batch is escalated one complaint at a time, each exactly once."""
    with unit_of_work() as uow:
        complaints = [complaint_at(uow.session, REGISTERED) for _ in range(3)]
        uow.commit()
        ids, first = [c.id for c in complaints], complaints[0]
        asked = dict(complaint_id=first.id, officer_id=first.officer_id, level=1, round=0,
                     missed_due_at=first.due_at, requested_at=LATE, due_at=LATE)
    meanwhile = []

    def ask_first(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO explanations") and not meanwhile:
            meanwhile.append(asked)
            conn.execute(insert(Explanation.__table__), asked)

    event.listen(engine, "before_cursor_execute", ask_first)
    try:
        with caplog.at_level(logging.WARNING, logger="models.complaints.sla"):
            assert sweep_overdue(now=LATE) >= 3
    finally:
        event.remove(engine, "before_cursor_execute", ask_first)
    assert meanwhile and [r for r in caplog.records if BATCH_FAILED in r.getMessage()]
    with unit_of_work() as uow:
        s = uow.session
        assert [s.get(Complaint, i).level for i in ids] == [2, 2, 2]
        for i in ids:
            rows = _rows(s, i)
            assert [e["action"] for e in rows["history"]] == [
                "register", "assign", "escalate", "explanation_requested"]
            assert (len(rows["explanations"]), len(rows["sms"])) == (1, 1)
