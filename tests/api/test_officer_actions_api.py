"""POST /api/v1/complaints/<id>/actions with a token bound to an officer: the screens' rules (403
who may not, 409 the status does not allow, 400 naming the field), and the richer GET."""

from __future__ import annotations

import base64
import dataclasses
import uuid

import pytest
from sqlalchemy import select

from models.core.db import unit_of_work
from models.people.officers import Officer
from models.people.tokens import TokenNeedsOfficer, create_token
from models.people.users import Role, add_user
from tests.factories import make_complaint

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def officer_token(login: str) -> dict:
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name=f"dept-{login}", scope="officer", officer_login=login)
        uow.commit()
    return {"Authorization": f"Bearer {token}"}


def new_officer_user(code: str, role: Role = Role.OFFICER) -> str:
    """A login for the demo officer `code` (unique per call), returned."""
    login = f"{code.lower()}.{uuid.uuid4().hex[:6]}"
    with unit_of_work() as uow:
        officer = uow.session.scalars(select(Officer).where(Officer.code == code)).one()
        add_user(session=uow.session, username=login, password="long-enough-1", role=role,
                 officer_id=officer.id, department_code=officer.department_code)
        uow.commit()
    return login


@pytest.fixture
def complaint(engine):
    with unit_of_work() as uow:
        c = make_complaint(uow.session)
        uow.commit()
    return c


@pytest.fixture
def attachments_dir(app, tmp_path):
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          attachments_dir=tmp_path / "files")
    return tmp_path / "files"


def post(client, complaint, headers, **body):
    return client.post(f"/api/v1/complaints/{complaint.public_id}/actions", json=body, headers=headers)


def test_an_officer_token_is_bound_to_an_officers_login(engine):
    with unit_of_work() as uow:
        for bad in (None, "agent1", "nobody"):
            with pytest.raises(TokenNeedsOfficer):
                create_token(session=uow.session, name="x", scope="officer", officer_login=bad)


def test_the_officer_works_the_complaint_through_the_api(client, complaint, attachments_dir):
    tehsildar, collector = officer_token("tehsildar.abhanpur"), officer_token("collector.raipur")
    started = post(client, complaint, tehsildar, action="start", note="स्थल निरीक्षण")
    assert started.status_code == 200 and started.json["status"] == "in_progress"
    photo = {"filename": "site.jpg", "content_base64": base64.b64encode(JPEG).decode()}
    noted = post(client, complaint, tehsildar, action="note", note="पटवारी से प्रतिवेदन लिया",
                 attachments=[photo])
    assert noted.status_code == 200
    [attachment_id] = noted.json["result"]["attachment_ids"]
    assert noted.json["attachments"][0]["content_type"] == "image/jpeg"
    assert len(list(attachments_dir.iterdir())) == 1
    url = f"/api/v1/complaints/{complaint.public_id}/attachments/{attachment_id}"
    for who in (tehsildar, collector):
        got = client.get(url, headers=who)
        assert got.status_code == 200 and got.data == JPEG and got.mimetype == "image/jpeg"
    outsider = officer_token(new_officer_user("PWD-L1-RPR-ABH"))
    assert client.get(url, headers=outsider).status_code == 403
    assert client.get(f"/api/v1/complaints/{complaint.public_id}", headers=outsider).status_code == 403
    refused = post(client, complaint, collector, action="resolve", resolution="निराकरण")
    assert refused.status_code == 403 and refused.json["code"] == "not_allowed"
    done = post(client, complaint, tehsildar, action="resolve", resolution="नामांतरण कर दिया गया")
    assert done.status_code == 200 and done.json["resolved_level"] == "L1"
    again = post(client, complaint, tehsildar, action="resolve", resolution="फिर से")
    assert again.status_code == 409 and again.json["code"] == "illegal_transition"
    detail = client.get(f"/api/v1/complaints/{complaint.public_id}", headers=tehsildar).json
    assert detail["status"] == "resolved" and detail["level"] == "L1"
    assert detail["officer"]["designation_en"] and "due_at" in detail
    actions = [(h["action"], h["actor"], h["channel"], h["level"]) for h in detail["history"]]
    assert ("note", "user:tehsildar.abhanpur", "api", "L1") in actions
    assert actions[-1] == ("resolve", "user:tehsildar.abhanpur", "api", "L1")


@pytest.mark.parametrize("body, field, code", [
    ({}, "action", None),
    ({"action": "fly"}, "action", "unknown"),
    ({"action": "start", "colour": "red"}, "colour", None),
    ({"action": "note", "note": 5}, "note", None),
    ({"action": "request_more_time", "days": "abc", "note": "पटवारी अवकाश पर"}, "days", "out_of_range"),
    ({"action": "request_more_time", "days": True, "note": "पटवारी अवकाश पर"}, "days", None),
    ({"action": "request_pause", "reason_code": "holiday", "note": "प्रतीक्षा"}, "reason_code", "unknown"),
    ({"action": "note", "note": "फोटो", "attachments": [{"filename": "a.jpg", "content_base64": "%%"}]},
     "attachments", None),
    ({"action": "note", "note": "फोटो संलग्न",
      "attachments": [{"filename": "a.jpg", "content_base64": base64.b64encode(b"GIF89a...").decode()}]},
     "attachments", "wrong_file_type"),
    ({"action": "return"}, "reason", "required"),
])
def test_bad_input_is_400_naming_the_field(client, complaint, attachments_dir, body, field, code):
    response = post(client, complaint, officer_token("tehsildar.abhanpur"), **body)
    assert response.status_code == 400, response.json
    assert response.json["field"] == field
    if code:
        assert response.json["code"] == code


def test_requests_are_decided_a_level_up_through_the_api(client, complaint):
    tehsildar, collector = officer_token("tehsildar.abhanpur"), officer_token("collector.raipur")
    asked = post(client, complaint, tehsildar, action="request_more_time", days=3, note="राजस्व निरीक्षक अवकाश पर")
    assert asked.status_code == 200 and asked.json["result"]["request_status"] == "pending"
    request_id = asked.json["result"]["request_id"]
    assert post(client, complaint, tehsildar, action="request_more_time", days=2,
                note="दूसरा अनुरोध").status_code == 409
    own = post(client, complaint, tehsildar, action="decide", request_id=request_id, decision="approve")
    assert own.status_code == 403
    due = asked.json["due_at"]
    approved = post(client, complaint, collector, action="decide", request_id=request_id, decision="approve")
    assert approved.status_code == 200 and approved.json["due_at"] > due
    assert approved.json["requests"][0]["status"] == "approved"
    assert post(client, complaint, collector, action="decide", request_id=request_id,
                decision="approve").json["code"] == "request_not_pending"


def test_transfers_through_the_api_alert_on_ping_pong_and_stop_at_the_cap(app, client, complaint, auth):
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"], transfer_cap=2)
    tehsildar, rev_nodal = officer_token("tehsildar.abhanpur"), officer_token("nodal.rev")
    pwd_l1 = officer_token(new_officer_user("PWD-L1-RPR-ABH"))
    pwd_nodal = officer_token(new_officer_user("PWD-NODAL", Role.NODAL_OFFICER))
    helpline = auth  # an `api` token acts as an admin of the helpline

    def bounce(holder, nodal, category):
        assert post(client, complaint, holder, action="return", reason="दूसरे विभाग का मामला").status_code == 200
        assert post(client, complaint, nodal, action="send_back", reason="दूसरे विभाग का").status_code == 200
        moved = post(client, complaint, helpline, action="transfer", category=category)
        assert moved.status_code == 200, moved.json
        return moved.json

    # The holder may not reroute; the nodal officer may not while it is not with them.
    assert post(client, complaint, tehsildar, action="reroute", category="REV-DEM").status_code == 403
    assert post(client, complaint, rev_nodal, action="reroute", category="REV-DEM").status_code == 409
    first = bounce(tehsildar, rev_nodal, "PWD-RDS")
    assert first["department"] == "PWD" and first["transfer_count"] == 1
    assert not [a for a in first["alerts"] if a["kind"] == "ping_pong"]
    second = bounce(pwd_l1, pwd_nodal, "REV-MUT")
    assert second["department"] == "REV" and second["transfer_count"] == 2
    assert len([a for a in second["alerts"] if a["kind"] == "ping_pong"]) == 2  # both nodal officers
    assert [(t["from"], t["to"]) for t in second["transfers"]] == [("REV", "PWD"), ("PWD", "REV")]
    assert post(client, complaint, tehsildar, action="return", reason="फिर दूसरे विभाग का").status_code == 200
    capped = post(client, complaint, rev_nodal, action="send_back", reason="लोक निर्माण विभाग का")
    assert capped.status_code == 409 and capped.json["code"] == "transfer_cap"
    kept = post(client, complaint, rev_nodal, action="reroute", category="REV-DEM")
    assert kept.status_code == 200 and kept.json["status"] == "assigned" and kept.json["category"] == "REV-DEM"


def test_open311_tokens_may_not_act(client, complaint):
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name="o311", scope="open311")
        uow.commit()
    response = post(client, complaint, {"Authorization": f"Bearer {token}"}, action="start")
    assert response.status_code == 403
    assert post(client, complaint, {}, action="start").status_code == 401


def test_helpline_tokens_create_scope_officer(client, complaint, capsys):
    from scripts.cli import main

    assert main(["tokens", "create", "revenue-system", "--scope", "officer",
                 "--officer", "tehsildar.abhanpur"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    response = post(client, complaint, {"Authorization": f"Bearer {token}"}, action="start")
    assert response.status_code == 200 and response.json["history"][-1]["actor"] == "user:tehsildar.abhanpur"
    assert main(["tokens", "create", "bad", "--scope", "officer", "--officer", "agent1"]) == 1
    assert "--officer" in capsys.readouterr().err


def test_an_officer_token_lists_only_the_complaints_of_its_jurisdiction(client, engine, auth):
    word = uuid.uuid4().hex[:10]
    with unit_of_work() as uow:
        raipur = make_complaint(uow.session, description=f"नामांतरण लंबित {word}")
        bilaspur = make_complaint(uow.session, description=f"नामांतरण लंबित {word}", district_code="BSP",
                                  block="BSP-KOT")
        uow.commit()

    def listed(headers):
        body = client.get(f"/api/v1/complaints?q={word}", headers=headers).json
        return {c["id"] for c in body["complaints"]}

    assert listed(officer_token("tehsildar.abhanpur")) == {raipur.public_id}
    assert listed(officer_token("collector.raipur")) == {raipur.public_id}
    assert listed(officer_token("secretary.rev")) == {raipur.public_id, bilaspur.public_id}
    assert listed(officer_token(new_officer_user("PWD-L1-RPR-ABH"))) == set()
    assert listed(auth) == {raipur.public_id, bilaspur.public_id}  # an api token: every complaint
