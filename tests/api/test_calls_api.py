"""The IVR journey of a call, read back over the API."""

from models.calls import service as calls
from models.complaints.service import create_draft
from models.core.db import unit_of_work


def test_call_journey_by_uniqueid_and_caller(client, auth, engine):
    caller = "9000012345"
    with unit_of_work() as uow:
        call = calls.start_call(session=uow.session, uniqueid="1732800000.77", caller_number=caller)
        calls.record_step(session=uow.session, call=call, kind="prompt", name="welcome")
        calls.record_step(session=uow.session, call=call, kind="input", name="language", value="1")
        draft = create_draft(session=uow.session, call=call, mobile=caller, district_code="RPR")
        calls.finish_call(session=uow.session, call=call, disposition="queued")
        uow.commit()
    body = client.get("/api/v1/calls/1732800000.77", headers=auth).json
    assert [s["name"] for s in body["steps"]] == ["welcome", "language"]
    assert body["complaint_id"] == draft.public_id and body["ended_at"]
    listed = client.get(f"/api/v1/calls?caller={caller}", headers=auth).json
    assert [c["uniqueid"] for c in listed["calls"]] == ["1732800000.77"]
    assert client.get("/api/v1/calls/none", headers=auth).status_code == 404
    assert client.get("/api/v1/calls", headers=auth).status_code == 400


def test_bulk_steps_and_call_details(client, auth, engine):
    with unit_of_work() as uow:
        call = calls.start_call(session=uow.session, uniqueid="1732800000.78", caller_number="9000012346")
        for kind, name, value in [("prompt", "welcome", None), ("input", "welcome", "2"), ("event", "language", "en")]:
            calls.record_step(session=uow.session, call=call, kind=kind, name=name, value=value)
        calls.update_call(session=uow.session, call=call, language="en", recording_path="/r/x.wav")
        uow.commit()
    body = client.get("/api/v1/calls/1732800000.78", headers=auth).json
    assert [s["value"] for s in body["steps"]] == [None, "2", "en"]
    assert body["language"] == "en" and body["recording"] == "/r/x.wav"
