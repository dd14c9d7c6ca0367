"""A real SIP phone on the trunk (SIPp over UDP, not a Local/ channel): the caller's number, RFC 4733
keys and the caller's voice reach the IVR, the call record and the draft."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from models.calls import service as calls
from models.complaints import service as complaints
from models.core.db import new_session
from scripts.demo_call import speech_file
from scripts.sip_citizen import place_sip_call
from tests.e2e.conftest import wait_for

RAIPUR = "27"


@pytest.fixture
def trunk_to_test_ivr(ivr_server, ami, run, no_agents, e2e_engine):
    """Calls from the trunk reach this test's FastAGI server (a global the dialplan reads per call)."""
    def setvar(value: str) -> None:
        run(ami.action({"Action": "Setvar", "Variable": "GLOBAL(HELPLINE_AGI_PORT)", "Value": value}))

    before = run(ami.action({"Action": "Getvar", "Variable": "GLOBAL(HELPLINE_AGI_PORT)"})).get("Value")
    setvar(str(ivr_server.settings.agi_port))
    yield ivr_server
    setvar(before or str(ivr_server.settings.agi_port))


def finished_call_of(number: str) -> dict | None:
    with new_session() as session:
        found = [c for c in calls.calls_of_caller(session=session, caller_number=number) if c.ended_at]
        return calls.journey(found[0]) if found else None


def steps(journey: dict) -> list[tuple[str, str, str | None]]:
    return [(s["kind"], s["name"], s["value"]) for s in journey["steps"]]


def loudness(path: Path) -> float:
    """Root mean square of the 16-bit samples (silence is 0)."""
    with wave.open(str(path)) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float)
    return float(np.sqrt(np.mean(samples ** 2))) if samples.size else 0.0


def test_plus91_caller_keys_and_speaks_over_the_trunk(trunk_to_test_ivr, asterisk_settings):
    speech = speech_file("मेरे गाँव का हैंडपंप तीन हफ्ते से खराब है", voice="hi",
                         folder=asterisk_settings.var_dir / "test-audio")
    call = place_sip_call(caller="+919826000301", timeout=90, steps=[
        "w2", "d1", "w2", "d1", "w3", f"d{RAIPUR}#", "w12", f"p{speech}", "d#", "w4", "h"])
    assert call.ok, call.output
    journey = wait_for(lambda: finished_call_of("9826000301"), timeout=15)
    assert journey, "the call record carries the 10-digit number"
    assert ("input", "welcome", "1") in steps(journey) and ("input", "main_menu", "1") in steps(journey)
    assert ("input", "district", RAIPUR) in steps(journey), steps(journey)  # RFC 4733 keys
    assert journey["complaint_id"], steps(journey)
    with new_session() as session:
        draft = complaints.get_by_public_id(session=session, public_id=journey["complaint_id"])
        assert draft.mobile == "9826000301" and draft.district_code == "RPR"
        recording = Path(draft.recording_path)
    assert recording.exists(), recording
    assert loudness(recording) > 300, "the recording holds the caller's voice, not silence"


def test_withheld_number_is_keyed_on_the_phone(trunk_to_test_ivr):
    call = place_sip_call(caller="anonymous", withheld=True, timeout=90, steps=[
        "w2", "d1", "w3", "d9826000302", "w13", "d1", "w3", "d0", "w5", "h"])
    assert call.ok, call.output
    journey = wait_for(lambda: finished_call_of("9826000302"), timeout=15)
    assert journey, "the keyed number replaced the withheld one on the call record"
    assert ("event", "caller_withheld", "anonymous") in steps(journey), steps(journey)
    assert ("event", "mobile_keyed", "9826000302") in steps(journey)
    assert ("queue", "to_agents", "agent_requested") in steps(journey)
