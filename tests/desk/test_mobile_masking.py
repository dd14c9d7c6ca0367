"""Citizens' mobile numbers by role (models/complaints/masking.py, docs/desk.md): the call centre and
the officer holding the complaint see the full number; the officers above, the nodal officer and
the secretary see only its last four digits — on the screens and through their API tokens."""

from __future__ import annotations

import pytest

from models.core.db import unit_of_work
from models.people.tokens import create_token
from tests.desk.conftest import log_in
from tests.factories import make_complaint

# login -> (the complaint page it opens, sees the full number?)
DESK = {
    "agent1": ("/agent/complaints/{id}", True),
    "supervisor": ("/agent/complaints/{id}", True),
    "admin": ("/agent/complaints/{id}", True),
    "tehsildar.abhanpur": ("/officer/complaints/{id}", True),   # holds it: contacts the citizen
    "collector.raipur": ("/officer/complaints/{id}", False),    # L2 above it
    "nodal.rev": ("/agent/complaints/{id}", False),             # the department's nodal officer
    "secretary.rev": ("/officer/complaints/{id}", False),       # the department's secretary
}
SEARCH = {"agent1": True, "nodal.rev": False}


@pytest.fixture
def complaint(app):
    with unit_of_work() as uow:
        made = make_complaint(uow.session)  # Revenue, Abhanpur: held by the tehsildar of Abhanpur
        uow.commit()
        return made.public_id, made.mobile


@pytest.mark.parametrize("login", DESK)
def test_the_complaint_page_shows_the_number_only_to_who_needs_it(app, complaint, login):
    public_id, mobile = complaint
    page, full = DESK[login]
    response = log_in(app.test_client(), login).get(page.format(id=public_id))
    assert response.status_code == 200
    assert (mobile in response.text) is full
    assert ("••••••" + mobile[-4:] in response.text) is not full


@pytest.mark.parametrize("login", SEARCH)
def test_search_results_follow_the_same_rule(app, complaint, login):
    public_id, mobile = complaint
    response = log_in(app.test_client(), login).get(f"/agent/search?q={public_id}")
    assert response.status_code == 200 and public_id in response.text
    assert (f"<td>{mobile}</td>" in response.text) is SEARCH[login]


@pytest.mark.parametrize("login, full", [(None, True), ("tehsildar.abhanpur", True),
                                         ("collector.raipur", False), ("secretary.rev", False)])
def test_the_api_masks_it_for_officers_who_do_not_hold_the_complaint(app, complaint, login, full):
    public_id, mobile = complaint
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name=f"mask-{login or 'api'}",
                             scope="officer" if login else "api", officer_login=login)
        uow.commit()
    headers = {"Authorization": f"Bearer {token}"}
    one = app.test_client().get(f"/api/v1/complaints/{public_id}", headers=headers)
    listed = app.test_client().get(f"/api/v1/complaints?mobile={mobile}", headers=headers)
    assert one.status_code == listed.status_code == 200
    shown = [one.json["mobile"]] + [c["mobile"] for c in listed.json["complaints"] if c["id"] == public_id]
    assert shown == [mobile if full else "••••••" + mobile[-4:]] * 2
