"""Recordings and attachments go only to those who may see the complaint: one Revenue complaint of
Abhanpur with a recording and a photo, asked for by officers of Revenue (who see it) and of Public
Health Engineering (who do not), on the officer's screens, on the helpline's screens (nodal
officers and secretaries) and through each officer's API token."""

from __future__ import annotations

import base64
import dataclasses
from uuid import uuid4

import pytest
from sqlalchemy import select, update

from models.complaints.complaint import Complaint
from models.core.db import unit_of_work
from models.people.officers import Officer
from models.people.tokens import create_token
from models.people.users import add_user
from tests.desk.conftest import PASSWORD, log_in
from tests.factories import make_complaint

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
# login -> (role and officer code of a new user, or None for a demo user; sees the complaint?)
OFFICERS = {"tehsildar.abhanpur": (None, True), "collector.raipur": (None, True), "nodal.rev": (None, True),
            "secretary.rev": (None, True), "l2.phe.raipur": (("officer", "PHE-L2-RPR"), False),
            "nodal.phe": (("nodal_officer", "PHE-NODAL"), False), "secretary.phe": (("secretary", "PHE-L4"), False)}
HELPLINE_SCREEN = {"agent1", "nodal.rev", "secretary.rev", "nodal.phe", "secretary.phe"}


@pytest.fixture
def case(app, recordings, tmp_path):
    """(public_id, attachment id, login -> (login, token header)): the complaint with its files."""
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          attachments_dir=tmp_path / "files")
    (recordings / "abhanpur.wav").write_bytes(b"RIFF" + b"\x00" * 64)
    suffix, logins = uuid4().hex[:6], {}
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        uow.session.execute(update(Complaint).where(Complaint.id == complaint.id)
                            .values(recording_path="abhanpur.wav"))
        for name, (new, _sees) in OFFICERS.items():
            login = name
            if new:
                login = f"{name}.{suffix}"
                officer = uow.session.scalars(select(Officer).where(Officer.code == new[1])).one()
                add_user(session=uow.session, username=login, password=PASSWORD, role=new[0],
                         officer_id=officer.id, department_code=officer.department_code)
            token = create_token(session=uow.session, name=f"files-{login}", scope="officer", officer_login=login)
            logins[name] = (login, {"Authorization": f"Bearer {token}"})
        uow.commit()
        public_id = complaint.public_id
    noted = app.test_client().post(f"/api/v1/complaints/{public_id}/actions", headers=logins["tehsildar.abhanpur"][1],
                                   json={"action": "note", "note": "स्थल निरीक्षण किया", "attachments": [
                                       {"filename": "site.jpg", "content_base64": base64.b64encode(JPEG).decode()}]})
    assert noted.status_code == 200, noted.text
    return public_id, noted.json["result"]["attachment_ids"][0], logins


def test_files_go_only_to_those_who_see_the_complaint(app, case):
    public_id, attachment_id, logins = case
    wrong, answers = [], 0
    for name, (_new, sees) in OFFICERS.items():
        login, token = logins[name]
        client = log_in(app.test_client(), login)
        got = {"officer recording": client.get(f"/officer/complaints/{public_id}/recording").status_code,
               "officer attachment": client.get(f"/officer/attachments/{attachment_id}").status_code,
               "api attachment": app.test_client().get(
                   f"/api/v1/complaints/{public_id}/attachments/{attachment_id}", headers=token).status_code}
        if name in HELPLINE_SCREEN:
            got["helpline recording"] = client.get(f"/agent/recordings/{public_id}").status_code
        answers += len(got)
        for what, status in got.items():
            if (status == 200) is not sees or status == 500:
                wrong.append((name, what, status))
    agent = log_in(app.test_client(), "agent1").get(f"/agent/recordings/{public_id}")
    assert agent.status_code == 200 and agent.data.startswith(b"RIFF")
    assert not wrong, wrong
    assert answers == 25


def test_an_attachment_is_served_only_under_its_own_complaint(app, case):
    _public_id, attachment_id, logins = case
    with unit_of_work() as uow:
        other = make_complaint(uow.session).public_id  # the same officer holds it
        uow.commit()
    response = app.test_client().get(f"/api/v1/complaints/{other}/attachments/{attachment_id}",
                                     headers=logins["tehsildar.abhanpur"][1])
    assert response.status_code == 404
