"""A satisfaction call on the local Asterisk whose worker is killed (SIGKILL) the moment Asterisk
took the Originate: the citizen's phone rings once, the answer comes back through our FastAGI
server and closes the complaint, and the restarted worker never dials it again."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from ivr.outbound import place_feedback_calls
from models.complaints.complaint import Complaint
from models.core.db import default_database, unit_of_work
from tests.e2e.conftest import wait_for
from tests.e2e.test_feedback_calls import MONDAY_10, resolved_complaint, results
from tests.reliability.processes import die_while_dialling

CITIZEN = "Local/{number}@feedback-citizen"


def test_a_satisfaction_call_whose_worker_was_killed_rings_once(ivr_server, e2e_engine, e2e_database, no_agents,
                                                                 tmp_path):
    settings = dataclasses.replace(ivr_server.settings, outbound_channel=CITIZEN)
    complaint_id, _mobile = resolved_complaint("1", settings)  # the citizen presses 1: satisfied
    with unit_of_work() as uow:
        public_id = uow.session.get(Complaint, complaint_id).public_id
    dialled = die_while_dialling("place_feedback_calls", e2e_database, MONDAY_10, tmp_path / "dialled.jsonl",
                                 public_id, agi_port=ivr_server.settings.agi_port, HELPLINE_OUTBOUND_CHANNEL=CITIZEN)
    assert [a for a in dialled if f"HELPLINE_COMPLAINT={public_id}" in a["Variable"]], dialled

    def restarted(now) -> list[dict]:
        again: list[dict] = []
        place_feedback_calls(database=default_database(), now=now, settings=settings, originate=again.append)
        return [a for a in again if f"HELPLINE_COMPLAINT={public_id}" in a["Variable"]]

    assert restarted(MONDAY_10) == []  # while the call rings: its try is filed, not due again
    assert wait_for(lambda: results(complaint_id) == ["satisfied"], timeout=60), results(complaint_id)
    assert restarted(MONDAY_10 + timedelta(days=1)) == []
    with unit_of_work() as uow:
        closed = uow.session.get(Complaint, complaint_id)
        assert closed.status.value == "closed" and closed.closure_reason == "satisfied"
    assert results(complaint_id) == ["satisfied"]  # one try, one call
