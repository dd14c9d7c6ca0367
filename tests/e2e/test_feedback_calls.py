"""Satisfaction calls end to end on the local Asterisk: the worker's job originates each call
(HELPLINE_OUTBOUND_CHANNEL pointed at a Local/ citizen), our FastAGI server reads the complaint
out and takes the key, and the complaint is closed or reopened; a citizen who never answers is
tried again at the next due time and closed as no response after the last try."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import select

from ivr.ami.client import run_action
from ivr.outbound import place_feedback_calls
from models.calls.feedback import FeedbackAttempt, FeedbackPolicy, next_try_at
from models.complaints.complaint import Complaint
from models.complaints.lifecycle import resolve
from models.core.db import default_database, unit_of_work
from models.reference.calendar import IST
from tests.e2e.conftest import wait_for
from tests.factories import make_complaint

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def resolved_complaint(mobile_action: str, settings) -> tuple[int, str]:
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        resolve(session=uow.session, complaint=complaint, actor="user:tehsildar",
                resolution="नामांतरण पंजी में दर्ज कर दिया गया है")
        complaint.resolved_at = MONDAY_10 - timedelta(hours=1)
        uow.commit()
        ids = complaint.id, complaint.mobile
    run_action(settings, {"Action": "DBPut", "Family": "feedback-sim", "Key": ids[1], "Val": mobile_action})
    return ids


def results(complaint_id: int) -> list[str | None]:
    with unit_of_work() as uow:
        rows = uow.session.scalars(select(FeedbackAttempt).where(FeedbackAttempt.complaint_id == complaint_id)
                                   .order_by(FeedbackAttempt.attempt))
        return [r.result.value if r.result else None for r in rows]


def test_feedback_calls_close_reopen_and_give_up(ivr_server, e2e_engine, no_agents):
    settings = dataclasses.replace(ivr_server.settings, outbound_channel="Local/{number}@feedback-citizen",
                                   feedback_tries=2, feedback_days=1, feedback_concurrent=3)
    # The same dial-plan globals a deployment uses, but this test's FastAGI server.
    port = f"HELPLINE_AGI_PORT={settings.agi_port}"
    originated = []

    def originate(action):
        originated.append(action)
        return run_action(settings, {**action, "Variable": [*action["Variable"], port]})

    unhappy = resolved_complaint("2", settings)
    happy = resolved_complaint("1", settings)
    silent = resolved_complaint("noanswer", settings)
    database = default_database()

    assert place_feedback_calls(database=database, now=MONDAY_10, settings=settings, originate=originate) >= 3
    assert all(a["Channel"] == f"Local/{a['Channel'][6:16]}@feedback-citizen" for a in originated)
    for complaint_id, _ in (unhappy, happy, silent):
        assert wait_for(lambda cid=complaint_id: results(cid)[-1:] not in ([], [None]), timeout=60), \
            f"no result for complaint {complaint_id}: {results(complaint_id)}"
    assert results(unhappy[0]) == ["not_satisfied"] and results(happy[0]) == ["satisfied"]
    assert results(silent[0]) == ["no_answer"]
    with unit_of_work() as uow:
        reopened = uow.session.get(Complaint, unhappy[0])
        assert reopened.status.value == "reopened"
        note = reopened.history[-1].note
        assert reopened.history[-1].actor == "ivr:feedback" and "feedback call 1 (" in note
        closed = uow.session.get(Complaint, happy[0])
        assert closed.status.value == "closed" and closed.closure_reason == "satisfied"
        assert uow.session.get(Complaint, silent[0]).status.value == "resolved"

    # The next try is due a spacing later, at another hour; the line is busy: no response.
    run_action(settings, {"Action": "DBPut", "Family": "feedback-sim", "Key": silent[1], "Val": "busy"})
    policy = FeedbackPolicy.from_settings(settings)
    with unit_of_work() as uow:
        first = uow.session.scalars(select(FeedbackAttempt.placed_at)
                                    .where(FeedbackAttempt.complaint_id == silent[0])).one()
    second_due = next_try_at(resolved_at=MONDAY_10 - timedelta(hours=1), earlier=[first], policy=policy)
    assert place_feedback_calls(database=database, now=second_due - timedelta(minutes=1),
                                settings=settings, originate=originate) == 0
    assert place_feedback_calls(database=database, now=second_due, settings=settings, originate=originate) == 1
    assert wait_for(lambda: results(silent[0]) == ["no_answer", "busy"], timeout=60), results(silent[0])
    assert place_feedback_calls(database=database, now=second_due + timedelta(minutes=1), settings=settings,
                                originate=originate) == 0  # the worker's next pass gives up
    with unit_of_work() as uow:
        gave_up = uow.session.get(Complaint, silent[0])
        assert gave_up.status.value == "closed" and gave_up.closure_reason == "no_response"
    assert place_feedback_calls(database=database, now=second_due + timedelta(days=1), settings=settings,
                                originate=originate) == 0
