"""Calls dialled into the real Asterisk reach our IVR and leave what the helpline needs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from models.calls import service as calls
from models.calls.call import Call
from models.complaints.complaint import Complaint
from models.complaints.status import ComplaintStatus
from models.core.db import new_session
from tests.e2e.conftest import wait_for
from tests.factories import make_complaint

RAIPUR = "27"  # Raipur's number on the IVR's district list (config/data/cg_districts.csv)


def journey_of(uniqueid: str) -> dict | None:
    with new_session() as session:
        call = calls.get_by_uniqueid(session=session, uniqueid=uniqueid)
        return calls.journey(call) if call and call.ended_at else None


def steps(journey: dict, kind: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(s["kind"], s["name"], s["value"]) for s in journey["steps"]
            if kind is None or s["kind"] == kind]


def test_new_complaint_by_keypad_and_voice(dial, speech_audio):
    # After speaking, the caller waits out the queue and accepts the call-back offer with 1.
    accept = "^".join(["w40"] + ["d1", "w3"] * 8)
    call = dial("9826000101", f"w2^d1^w2^d1^w3^d{RAIPUR}#^w3^p{speech_audio}^p{speech_audio}^{accept}")
    journey = wait_for(lambda: journey_of(call.ivr_uniqueid))
    assert journey, "the call record was written"
    assert journey["caller"] == "9826000101"
    assert ("event", "language", "hi") in steps(journey)
    assert journey["complaint_id"], "a draft complaint is linked to the call"
    with new_session() as session:
        draft = session.scalars(select(Complaint).where(
            Complaint.public_id == journey["complaint_id"])).one()
        assert draft.status == ComplaintStatus.DRAFT and draft.district_code == "RPR"
        assert draft.mobile == "9826000101" and draft.channel.value == "phone"
        recording = Path(draft.recording_path)
        assert draft.callback_requested, "the caller's wish for a call back is on the draft"
    assert recording.exists() and recording.stat().st_size > 8000, "the caller's words were recorded"
    assert call.named("QueueCallerJoin"), "the call was queued to the agents"
    assert any(k == "queue" for k, _, _ in steps(journey)), steps(journey)


def test_status_of_a_seeded_complaint(dial, e2e_engine):
    with new_session() as session:
        complaint = make_complaint(session, mobile="9826000199")
        session.commit()
        public_id = complaint.public_id
    call = dial("9826000102", f"w2^d1^w2^d2^w3^d{public_id}#^w25")
    journey = wait_for(lambda: journey_of(call.ivr_uniqueid))
    assert journey
    lookups = steps(journey, "lookup")
    assert any(public_id in (value or "") for _, _, value in lookups), lookups
    played = [name for kind, name, _ in steps(journey, "prompt")]
    assert any(name.startswith("status_") for name in played), played


def test_wrong_check_digit_three_times_goes_to_queue(dial):
    wrong = "2600000010"  # a valid shape with a wrong check digit
    call = dial("9826000103", f"w2^d1^w2^d2^w3^d{wrong}#^w4^d{wrong}#^w4^d{wrong}#^w8")
    journey = wait_for(lambda: journey_of(call.ivr_uniqueid))
    assert journey
    assert not steps(journey, "lookup"), "no database look-up for a wrong check digit"
    assert call.named("QueueCallerJoin"), "after three tries the caller goes to an agent"


def test_hang_up_during_recording_keeps_draft_recording_and_record(dial, speech_audio):
    call = dial("9826000104", f"w2^d1^w2^d1^w3^d{RAIPUR}#^w3^p{speech_audio}^p{speech_audio}^h")
    journey = wait_for(lambda: journey_of(call.ivr_uniqueid))
    assert journey and journey["ended_at"]
    assert journey["complaint_id"], "the draft stays"
    with new_session() as session:
        draft = session.scalars(select(Complaint).where(
            Complaint.public_id == journey["complaint_id"])).one()
        assert Path(draft.recording_path).stat().st_size > 8000
    assert not call.named("QueueCallerJoin")


def test_twenty_calls_at_once_all_complete(ivr_server, ami, run, e2e_engine, no_agents):
    import asyncio

    from scripts.demo_citizen import place_citizen_call

    variables = {"HELPLINE_AGI_PORT": str(ivr_server.settings.agi_port), "HELPLINE_QUEUE_TIMEOUT": "2"}

    async def many():
        return await asyncio.gather(*[
            place_citizen_call(ami, caller=f"98260002{n:02d}", steps="w2^d2^w2^d0^w6",
                               timeout=120, variables=variables) for n in range(20)])

    results = run(many(), timeout=180)
    for c in results:
        assert c.answered and not c.timed_out, (c.caller, journey_of(c.ivr_uniqueid),
                                                [e.name for e in c.events][-15:])
    ended = wait_for(lambda: all(journey_of(c.ivr_uniqueid) for c in results), timeout=20)
    assert ended, "every call left a finished call record"
    with new_session() as session:
        count = len(session.scalars(select(Call).where(Call.caller_number.like("98260002%"))).all())
    assert count == 20
