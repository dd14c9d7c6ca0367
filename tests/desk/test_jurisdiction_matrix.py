"""Officers see only their jurisdiction and department, and the screen and the API agree: one
Revenue complaint of Abhanpur (Raipur), asked for by officers inside and outside it, on the officer's
complaint page and with each officer's own API token."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import select

from models.core.db import unit_of_work
from models.people.officers import Officer
from models.people.tokens import create_token
from models.people.users import add_user
from tests.desk.conftest import PASSWORD, log_in
from tests.factories import make_complaint

# login -> (role, officer code, department, sees a Revenue complaint of Abhanpur?)
OFFICERS = {
    "tehsildar.abhanpur": (None, None, None, True),     # the L1 officer it is assigned to (demo user)
    "collector.raipur": (None, None, None, True),       # L2, Revenue, Raipur district (demo user)
    "nodal.rev": (None, None, None, True),              # Revenue's nodal officer (demo user)
    "secretary.rev": (None, None, None, True),          # Revenue's secretary (demo user)
    "l3.rev": ("officer", "REV-L3", "REV", True),       # Revenue's state head of department
    "l2.rev.bilaspur": ("officer", "REV-L2-BSP", "REV", False),   # same department, another district
    "l1.rev.other": ("officer", "REV-L1-{other_block}", "REV", False),  # same district, another block
    "l2.phe.raipur": ("officer", "PHE-L2-RPR", "PHE", False),    # same district, another department
    "secretary.phe": ("secretary", "PHE-L4", "PHE", False),      # another department's secretary
    "nodal.phe": ("nodal_officer", "PHE-NODAL", "PHE", False),   # another department's nodal officer
}


@pytest.fixture
def officers(desk_database_url):
    """login -> (the login to use, its API token)."""
    suffix, out = uuid4().hex[:6], {}
    with unit_of_work() as uow:
        s = uow.session
        other_block = s.scalars(select(Officer.code).where(
            Officer.code.like("REV-L1-RPR-%"), Officer.code != "REV-L1-RPR-ABH").order_by(Officer.code)).first()
        for name, (role, code, department, _sees) in OFFICERS.items():
            login = name
            if role:
                login = f"{name}.{suffix}"
                officer_id = s.scalars(select(Officer.id).where(
                    Officer.code == code.format(other_block=other_block.removeprefix("REV-L1-")))).one()
                add_user(session=s, username=login, password=PASSWORD, role=role, officer_id=officer_id,
                         department_code=department)
            out[name] = (login, create_token(session=s, name=f"juris-{login}", scope="officer",
                                             officer_login=login))
        uow.commit()
    return out


def test_screen_and_api_show_a_complaint_only_within_jurisdiction(app, officers):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)  # Revenue, mutation, Abhanpur (Raipur): the L1 of Abhanpur
        uow.commit()
        public_id, mobile = complaint.public_id, complaint.mobile
    wrong = []
    for name, (_role, _code, _dept, sees) in OFFICERS.items():
        login, token = officers[name]
        screen = log_in(app.test_client(), login).get(f"/officer/complaints/{public_id}").status_code
        api = app.test_client().get(f"/api/v1/complaints/{public_id}",
                                    headers={"Authorization": f"Bearer {token}"}).status_code
        listed = app.test_client().get(f"/api/v1/complaints?mobile={mobile}",
                                       headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200, listed.text
        in_list = public_id in listed.text
        expected = (200, 200, True) if sees else ("refused", "refused", False)
        got = tuple("refused" if s in (403, 404) else s for s in (screen, api)) + (in_list,)
        if got != expected:
            wrong.append((name, got, expected))
        if not sees:  # nor may they act on it
            acted = app.test_client().post(f"/api/v1/complaints/{public_id}/actions",
                                           json={"action": "resolve", "resolution": "बाहर से"},
                                           headers={"Authorization": f"Bearer {token}"}).status_code
            if acted not in (403, 404):
                wrong.append((name, "action", acted))
        if name.startswith(("nodal.", "secretary.")):  # they also read the helpline's complaint page
            page = log_in(app.test_client(), login).get(f"/agent/complaints/{public_id}").status_code
            if (page == 200) != sees or page >= 500:
                wrong.append((name, "agent page", page))
    assert not wrong, wrong
    with unit_of_work() as uow:
        from models.complaints.service import get_by_public_id
        assert get_by_public_id(session=uow.session, public_id=public_id).status.value == "assigned"
    holder = app.test_client().post(f"/api/v1/complaints/{public_id}/actions",  # the same request, from within
                                    json={"action": "resolve", "resolution": "नामांतरण कर दिया गया"},
                                    headers={"Authorization": f"Bearer {officers['tehsildar.abhanpur'][1]}"})
    assert holder.status_code == 200, holder.text
