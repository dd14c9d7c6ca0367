"""Registration at the desk: from an IVR draft (history for IVR and agent, SMS in the outbox,
wrap-up code on the call), at the counter, with validation and the duplicate warning."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from models.calls.call import Call
from models.calls.service import start_call
from models.complaints.service import create_draft, get_by_public_id, set_transcript
from models.core.db import unit_of_work
from models.notifications.outbox import OutboxMessage
from models.people.officers import Officer
from tests.desk.conftest import post_form
from tests.factories import make_complaint, next_mobile

DESCRIPTION = "मेरी जमीन का नामांतरण छह महीने से लंबित है, तहसील में कोई सुनवाई नहीं"


def ivr_draft(recordings, mobile: str, district: str = "RPR", transcript: str | None = None):
    """What the IVR leaves behind: a call, its recording, and a draft complaint."""
    wav = recordings / f"{uuid.uuid4().hex}.wav"
    wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28))
    with unit_of_work() as uow:
        call = start_call(session=uow.session, uniqueid=f"test-{uuid.uuid4().hex[:12]}", caller_number=mobile)
        draft = create_draft(session=uow.session, call=call, mobile=mobile, district_code=district,
                             recording_path=str(wav))
        if transcript:
            set_transcript(session=uow.session, complaint=draft, text=transcript, confidence=0.8)
        uow.commit()
    return draft.public_id, call.uniqueid


def form(mobile: str, **overrides) -> dict:
    data = {"citizen_name": "रामेश्वर साहू", "mobile": mobile, "district_code": "RPR", "block": "RPR-ABH",
            "address": "ग्राम सेमरा", "category": "REV-MUT — नामांतरण", "description": DESCRIPTION,
            "language": "hi"}
    data.update(overrides)
    return data


def test_draft_prefills_the_form_with_the_calls_capture(login, recordings):
    mobile = next_mobile()
    with unit_of_work() as uow:
        earlier = make_complaint(uow.session, mobile=mobile)
        uow.commit()
    draft, _ = ivr_draft(recordings, mobile, district="RPR", transcript="जमीन नामांतरण लंबित")
    agent = login("agent1")
    page = agent.get(f"/agent/register?draft={draft}&lang=hi")
    assert page.status_code == 200
    assert f'value="{mobile}"' in page.text                      # caller number
    assert earlier.public_id in page.text                         # earlier complaints of that number
    assert 'value="RPR" selected' in page.text                    # the IVR's district
    assert "जमीन नामांतरण लंबित" in page.text                     # transcript
    assert f"/agent/recordings/{draft}" in page.text              # the player
    audio = agent.get(f"/agent/recordings/{draft}")
    assert audio.status_code == 200 and audio.mimetype == "audio/wav" and audio.data.startswith(b"RIFF")
    assert login("jandarshan.raipur").get(f"/agent/recordings/{draft}").status_code == 403


def test_registering_a_draft_assigns_l1_records_agent_queues_sms_and_wrap_up(login, recordings):
    mobile = next_mobile()
    draft, uniqueid = ivr_draft(recordings, mobile)
    agent = login("agent1")
    response = post_form(agent, f"/agent/register?draft={draft}", "/agent/register",
                         form(mobile, draft=draft))
    assert response.status_code == 302, response.text
    assert response.location.endswith(f"/agent/complaints/{draft}/registered")
    shown = agent.get(response.location + "?lang=en")
    assert re.search(rf'class="big-id"[^>]*>{draft}<', shown.text)  # the ID, large, to read out
    post = post_form(agent, response.location, f"/agent/complaints/{draft}/disposition", {"code": "registered"})
    assert post.status_code == 302
    with unit_of_work() as uow:
        s = uow.session
        complaint = get_by_public_id(session=s, public_id=draft)
        assert complaint.status.value == "assigned" and complaint.level == 1
        assert s.get(Officer, complaint.officer_id).code == "REV-L1-RPR-ABH"
        actors = [(e.actor, e.action) for e in complaint.history]
        assert actors[0] == ("ivr", "draft")
        assert ("user:agent1", "register") in actors and ("user:agent1", "assign") in actors
        sms = s.scalars(select(OutboxMessage).where(OutboxMessage.complaint_id == complaint.id)).all()
        assert len(sms) == 1 and draft in sms[0].body and sms[0].mobile == mobile and sms[0].sent_at is None
        call = s.scalars(select(Call).where(Call.uniqueid == uniqueid)).one()
        assert call.disposition == "registered" and call.agent == "agent1"
    again = agent.get(f"/agent/register?draft={draft}")  # a second agent opening the done draft
    assert again.status_code == 302 and again.location.endswith(f"/agent/complaints/{draft}")


def test_counter_registration_without_a_call(login):
    agent = login("supervisor")
    mobile = next_mobile()
    # Balod has no demo blocks: its district-wide L1 officer takes the complaint.
    response = post_form(agent, "/agent/register", "/agent/register", form(mobile, district_code="BLD", block=""))
    assert response.status_code == 302, response.text
    public_id = response.location.rsplit("/", 2)[-2]
    with unit_of_work() as uow:
        complaint = get_by_public_id(session=uow.session, public_id=public_id)
        assert complaint.channel.value == "counter" and complaint.history[0].actor == "user:supervisor"


def test_bad_mobile_is_named_and_nothing_is_written(login):
    agent = login("agent1")
    response = post_form(agent, "/agent/register", "/agent/register", form("12345"))
    assert response.status_code == 400
    assert 'data-field="mobile"' in response.text
    response = post_form(agent, "/agent/register", "/agent/register", form("9876543210", category="NOPE"))
    assert response.status_code == 400 and 'data-field="category_code"' in response.text


def test_duplicate_warning_offers_link_instead(login, recordings):
    mobile = next_mobile()
    with unit_of_work() as uow:
        existing = make_complaint(uow.session, mobile=mobile, description=DESCRIPTION)
        uow.commit()
    draft, uniqueid = ivr_draft(recordings, mobile)
    agent = login("agent1")
    similar = agent.get(f"/agent/similar.json?mobile={mobile}&draft={draft}").json
    assert [s["id"] for s in similar] == [existing.public_id]
    warned = post_form(agent, f"/agent/register?draft={draft}", "/agent/register", form(mobile, draft=draft))
    assert warned.status_code == 409 and existing.public_id in warned.text and "/agent/link" in warned.text
    linked = post_form(agent, f"/agent/register?draft={draft}", "/agent/link",
                       {"existing": existing.public_id, "draft": draft})
    assert linked.status_code == 302
    with unit_of_work() as uow:
        s = uow.session
        assert get_by_public_id(session=s, public_id=draft).status.value == "rejected"
        kept = get_by_public_id(session=s, public_id=existing.public_id)
        assert kept.history[-1].action == "linked" and kept.history[-1].actor == "user:agent1"
        call = s.scalars(select(Call).where(Call.uniqueid == uniqueid)).one()
        assert call.complaint_id == kept.id and call.disposition == "linked"
    # Registering anyway is the agent's choice.
    other = next_mobile()
    with unit_of_work() as uow:
        make_complaint(uow.session, mobile=other)
        uow.commit()
    forced = post_form(agent, "/agent/register", "/agent/register", form(other, confirm_new="1"))
    assert forced.status_code == 302


def test_category_search_in_hindi_and_english_and_routing_suggestion(login):
    agent = login("agent1")
    hindi = agent.get("/agent/categories.json?q=नामांतरण").json
    english = agent.get("/agent/categories.json?q=mutation").json
    assert "REV-MUT" in [c["code"] for c in hindi] and "REV-MUT" in [c["code"] for c in english]
    suggestion = agent.get("/agent/route.json?category=REV-MUT&district=RPR&block=RPR-ABH&lang=en").json
    assert suggestion["ok"] and suggestion["level"] == 1 and "Abhanpur" in suggestion["officer"]
    assert re.fullmatch(r"\d\d-\d\d-\d{4} 18:00", suggestion["due"])
    missing = agent.get("/agent/route.json?category=REV-MUT&district=RPR")
    assert missing.status_code == 422  # Raipur routes by block: the form says so before submit
