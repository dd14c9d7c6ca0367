"""Officers' workspaces on screen: scoped by jurisdiction, the least time left first, overdue marked,
filters; the complaint page's timeline and steps, with CSRF, role and jurisdiction checks."""

from __future__ import annotations

import dataclasses
import io
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from models.complaints.complaint import Complaint
from models.core.base import utcnow
from models.core.db import unit_of_work
from models.people.officers import Officer
from models.people.users import Role, add_user
from tests.desk.conftest import PASSWORD, csrf_token, log_in
from tests.factories import make_complaint

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


@pytest.fixture
def attachments_dir(app, tmp_path):
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          attachments_dir=tmp_path / "files")
    return tmp_path / "files"


def fresh(**overrides) -> Complaint:
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session, **overrides)
        uow.commit()
    return complaint


def officer_login(app, code: str, role: Role = Role.OFFICER):
    """A test client logged in as a new user for the demo officer `code`."""
    login = f"{code.lower()}.{uuid.uuid4().hex[:6]}"
    with unit_of_work() as uow:
        officer = uow.session.scalars(select(Officer).where(Officer.code == code)).one()
        add_user(session=uow.session, username=login, password=PASSWORD, role=role, officer_id=officer.id,
                 department_code=officer.department_code)
        uow.commit()
    return log_in(app.test_client(), login)


def step(client, complaint, **data):
    page = client.get(f"/officer/complaints/{complaint.public_id}")
    files = data.pop("files", None)
    form = {**data, "csrf_token": csrf_token(page.text)}
    if files:
        form["attachments"] = files
    return client.post(f"/officer/complaints/{complaint.public_id}/act", data=form,
                       content_type="multipart/form-data" if files else None)


def rows(page_text: str) -> list[str]:
    return re.findall(r'data-complaint="(\d{10})"', page_text)


def test_each_level_sees_its_jurisdiction_sorted_by_time_left_with_overdue_marked(app, login):
    word = uuid.uuid4().hex[:10]  # the desk's database holds many complaints: find these by a word
    soon, later = fresh(description=f"नामांतरण लंबित {word}"), fresh(description=f"नामांतरण लंबित {word}")
    elsewhere = fresh(district_code="BSP", block="BSP-KOT")
    with unit_of_work() as uow:
        uow.session.get(Complaint, soon.id).due_at = utcnow() - timedelta(hours=3)  # overdue
        uow.commit()
    tehsildar = login("tehsildar.abhanpur").get(f"/officer/?mine=1&q={word}").text
    listed = rows(tehsildar)
    assert soon.public_id in listed and later.public_id in listed and elsewhere.public_id not in listed
    assert listed.index(soon.public_id) < listed.index(later.public_id), "least time left first"
    assert re.search(rf'data-complaint="{soon.public_id}" class="overdue-row"', tehsildar)
    collector = rows(login("collector.raipur").get(f"/officer/?q={word}").text)
    assert soon.public_id in collector
    assert rows(login("collector.raipur").get(f"/officer/?q={elsewhere.public_id}").text) == []  # Raipur only
    nodal = rows(login("nodal.rev").get("/officer/?q=" + elsewhere.public_id).text)
    assert nodal == [elsewhere.public_id]  # the whole department
    secretary = login("secretary.rev").get("/officer/")
    assert 'id="department-figures"' in secretary.text
    other_l1 = rows(officer_login(app, "PWD-L1-RPR-ABH").get(f"/officer/?q={word}").text)
    assert other_l1 == []
    bad = login("collector.raipur").get("/officer/?status=lost")
    assert bad.status_code == 400 and "स्थिति" in bad.text
    assert rows(login("nodal.rev").get(f"/officer/?level=2&q={word}").text) == []
    assert len(rows(login("nodal.rev").get(f"/officer/?level=1&q={word}").text)) == 2


def test_the_complaint_page_is_for_those_who_see_it(app, login):
    complaint = fresh()
    url = f"/officer/complaints/{complaint.public_id}"
    for allowed in ("tehsildar.abhanpur", "collector.raipur", "nodal.rev", "secretary.rev"):
        assert login(allowed).get(url).status_code == 200, allowed
    assert login("agent1").get(url).status_code == 403
    assert officer_login(app, "REV-L2-BSP").get(url).status_code == 403
    assert login("tehsildar.abhanpur").get("/officer/complaints/0000000000").status_code == 404


def test_a_note_with_a_photo_then_resolve_and_the_photo_served_only_within_jurisdiction(app, login, attachments_dir):
    complaint = fresh()
    tehsildar = login("tehsildar.abhanpur")
    noted = step(tehsildar, complaint, action="note", note="स्थल निरीक्षण किया",
                 files=[(io.BytesIO(JPEG), "site.jpg")])
    assert noted.status_code == 302
    page = tehsildar.get(f"/officer/complaints/{complaint.public_id}").text
    link = re.search(r'href="(/officer/attachments/\d+)"', page).group(1)
    assert tehsildar.get(link).data == JPEG
    assert login("secretary.rev").get(link).status_code == 200
    assert officer_login(app, "PWD-L1-RPR-ABH").get(link).status_code == 404
    wrong = step(tehsildar, complaint, action="note", note="गलत फ़ाइल",
                 files=[(io.BytesIO(b"MZ\x90\x00 not an image"), "photo.jpg")])
    assert wrong.status_code == 400 and 'data-field="attachments"' in wrong.text
    huge = step(tehsildar, complaint, action="note", note="बहुत बड़ी फ़ाइल",
                files=[(io.BytesIO(JPEG + b"\x00" * 40_000_000), "huge.jpg")])
    assert huge.status_code == 413  # the desk's request cap (MAX_CONTENT_LENGTH), before any file is kept
    assert len(list(attachments_dir.iterdir())) == 1
    empty = step(tehsildar, complaint, action="resolve", resolution=" ")
    assert empty.status_code == 400 and "निराकरण: यह आवश्यक है।" in empty.text
    assert step(login("collector.raipur"), complaint, action="resolve", resolution="कर दिया").status_code == 403
    done = step(tehsildar, complaint, action="resolve", resolution="नामांतरण दर्ज कर दिया गया")
    assert done.status_code == 302
    again = step(tehsildar, complaint, action="resolve", resolution="फिर से")
    assert again.status_code == 409 and "निराकृत" in again.text
    history = tehsildar.get(f"/officer/complaints/{complaint.public_id}?lang=en").text
    tehsildar.get("/officer/?lang=hi")
    assert 'data-action="note"' in history and 'data-action="resolve"' in history and "Timeline" in history


def test_a_step_without_the_csrf_token_is_refused(login):
    complaint = fresh()
    client = login("tehsildar.abhanpur")
    response = client.post(f"/officer/complaints/{complaint.public_id}/act", data={"action": "start"})
    assert response.status_code == 400


def test_the_nodal_officer_reroutes_a_returned_complaint_and_decides_requests(login):
    complaint = fresh()
    tehsildar, nodal = login("tehsildar.abhanpur"), login("nodal.rev")
    assert step(tehsildar, complaint, action="return", reason="यह सीमांकन का मामला है").status_code == 302
    page = nodal.get(f"/officer/complaints/{complaint.public_id}").text
    assert 'data-step="reroute"' in page and 'data-step="send_back"' in page
    assert rows(nodal.get("/officer/?status=with_nodal").text).count(complaint.public_id) == 1
    assert step(nodal, complaint, action="reroute", category="REV-DEM").status_code == 302
    asked = step(tehsildar, complaint, action="request_pause", reason_code="awaiting_citizen",
                 note="आवेदक से दस्तावेज़ माँगे")
    assert asked.status_code == 302
    collector = login("collector.raipur")
    assert complaint.public_id in collector.get("/officer/").text.split('id="requests"')[1].split("</section>")[0]
    page = collector.get(f"/officer/complaints/{complaint.public_id}").text
    request_id = re.search(r'data-step="decide" data-request="(\d+)"', page).group(1)
    decided = step(collector, complaint, action="decide", request_id=request_id, decision="approve")
    assert decided.status_code == 302
    assert 'data-status="paused"' in collector.get(f"/officer/complaints/{complaint.public_id}").text


def test_the_complaint_page_plays_the_callers_recording_to_those_who_see_it(app, login, recordings):
    from models.complaints.intake import ComplaintInput
    from models.complaints.service import create_draft, register
    from tests.factories import next_mobile

    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32
    (recordings / "call-1.wav").write_bytes(wav)
    mobile = next_mobile()
    with unit_of_work() as uow:
        draft = create_draft(session=uow.session, mobile=mobile, district_code="RPR",
                             recording_path=str(recordings / "call-1.wav"))
        register(session=uow.session, actor="test", draft=draft, data=ComplaintInput(
            mobile=mobile, description="नामांतरण का आवेदन लंबित है", channel="phone", district_code="RPR",
            block="RPR-ABH", category_code="REV-MUT"))
        uow.commit()
    url = f"/officer/complaints/{draft.public_id}/recording"
    tehsildar = login("tehsildar.abhanpur")
    assert f'src="{url}"' in tehsildar.get(f"/officer/complaints/{draft.public_id}").text
    played = tehsildar.get(url)
    assert played.status_code == 200 and played.data == wav and played.mimetype == "audio/wav"
    assert officer_login(app, "PWD-L1-RPR-ABH").get(url).status_code == 403
    without = fresh()
    assert tehsildar.get(f"/officer/complaints/{without.public_id}/recording").status_code == 404


def test_on_screen_interim_reply_special_closure_and_force_closure_follow_their_rules(app, login):
    from models.complaints.service import get_by_public_id
    from models.notifications.outbox import for_complaint

    tehsildar, nodal, secretary = login("tehsildar.abhanpur"), login("nodal.rev"), login("secretary.rev")
    complaint = fresh()
    assert step(tehsildar, complaint, action="interim_reply", text="पटवारी कल निरीक्षण करेंगे").status_code == 302
    with unit_of_work() as uow:
        c = get_by_public_id(session=uow.session, public_id=complaint.public_id)
        assert [m.kind for m in for_complaint(session=uow.session, complaint=c)].count("interim") == 1
    assert step(login("collector.raipur"), complaint, action="interim_reply",
                text="जिला स्तर से उत्तर").status_code == 403
    proposed = step(tehsildar, complaint, action="propose_special_closure", reason_code="policy_matter",
                    note="नीतिगत निर्णय का विषय है")
    assert proposed.status_code == 302
    page = nodal.get(f"/officer/complaints/{complaint.public_id}").text
    request_id = re.search(r'data-step="decide" data-request="(\d+)"', page).group(1)
    assert 'data-step="decide"' not in tehsildar.get(f"/officer/complaints/{complaint.public_id}").text
    assert step(nodal, complaint, action="decide", request_id=request_id, decision="approve").status_code == 302
    assert 'data-status="special_closed"' in nodal.get(f"/officer/complaints/{complaint.public_id}").text
    other = fresh()
    assert step(nodal, other, action="force_close", reason="सचिव का आदेश नहीं").status_code == 403
    assert 'data-step="force_close"' in secretary.get(f"/officer/complaints/{other.public_id}").text
    empty = step(secretary, other, action="force_close", reason="")
    assert empty.status_code == 400 and 'data-field="reason"' in empty.text
    assert step(secretary, other, action="force_close", reason="शासन के आदेश से बंद").status_code == 302
    again = step(secretary, other, action="force_close", reason="फिर से बंद करें")
    assert again.status_code == 409
