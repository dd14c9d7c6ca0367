"""The helpline's screen for complaints a nodal officer sent back: a transfer to the right
department, and reopening a resolved complaint for the citizen."""

from __future__ import annotations

from models.complaints.actions import perform
from models.complaints.service import get_by_public_id
from models.core.db import unit_of_work
from tests.desk.conftest import post_form
from tests.factories import make_complaint
from tests.officer_actors import user_actor


def sent_back():
    with unit_of_work() as uow:
        s = uow.session
        complaint = make_complaint(s)
        perform(session=s, complaint=complaint, actor=user_actor(s, "tehsildar.abhanpur"), action="return",
                data={"reason": "सड़क का मामला है"})
        perform(session=s, complaint=complaint, actor=user_actor(s, "nodal.rev"), action="send_back",
                data={"reason": "लोक निर्माण विभाग का मामला"})
        uow.commit()
    return complaint


def state(public_id):
    with unit_of_work() as uow:
        c = get_by_public_id(session=uow.session, public_id=public_id)
        return c.status.value, c.department_code, c.level, c.transfer_count


def test_the_helpline_transfers_a_sent_back_complaint_to_the_right_department(login):
    complaint = sent_back()
    agent = login("agent1")
    page = agent.get("/helpline/returned")
    assert page.status_code == 200 and f'data-complaint="{complaint.public_id}"' in page.text
    assert login("tehsildar.abhanpur").get("/helpline/returned").status_code == 403
    url = f"/helpline/complaints/{complaint.public_id}/act"
    assert agent.post(url, data={"action": "transfer", "category": "PWD-RDS"}).status_code == 400  # no CSRF
    bad = post_form(agent, "/helpline/returned", url, {"action": "transfer", "category": "XYZ-000"})
    assert bad.status_code == 400 and 'data-field="category"' in bad.text
    moved = post_form(agent, "/helpline/returned", url, {"action": "transfer", "category": "PWD-RDS"})
    assert moved.status_code == 302
    assert state(complaint.public_id) == ("assigned", "PWD", 1, 1)
    again = post_form(agent, "/helpline/returned", url, {"action": "transfer", "category": "REV-MUT"})
    assert again.status_code == 409


def test_the_helpline_reopens_a_resolved_complaint_at_the_level_that_resolved_it(login):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        perform(session=uow.session, complaint=complaint, actor=user_actor(uow.session, "tehsildar.abhanpur"),
                action="resolve", data={"resolution": "नामांतरण कर दिया गया"})
        uow.commit()
    agent = login("agent1")
    empty = post_form(agent, "/helpline/returned", "/helpline/reopen",
                      {"complaint_id": complaint.public_id, "reason": " "})
    assert empty.status_code == 400
    unknown = post_form(agent, "/helpline/returned", "/helpline/reopen", {"complaint_id": "1", "reason": "नहीं"})
    assert unknown.status_code == 400
    done = post_form(agent, "/helpline/returned", "/helpline/reopen",
                     {"complaint_id": complaint.public_id, "reason": "नागरिक संतुष्ट नहीं है"})
    assert done.status_code == 302
    assert state(complaint.public_id)[:3] == ("reopened", "REV", 1)
    twice = post_form(agent, "/helpline/returned", "/helpline/reopen",
                      {"complaint_id": complaint.public_id, "reason": "फिर से"})
    assert twice.status_code == 409


def test_search_for_nodal_officers_and_secretaries_stays_in_their_department(login):
    with unit_of_work() as uow:
        revenue = make_complaint(uow.session)
        roads = make_complaint(uow.session, category_code="PWD-RDS")
        uow.commit()
    for user in ("nodal.rev", "secretary.rev"):
        client = login(user)
        assert f"/agent/complaints/{revenue.public_id}" in client.get(f"/agent/search?q={revenue.public_id}").text
        assert f"/agent/complaints/{roads.public_id}" not in client.get(f"/agent/search?q={roads.public_id}").text
        assert client.get(f"/agent/complaints/{roads.public_id}").status_code == 404
        assert client.get(f"/agent/complaints/{revenue.public_id}").status_code == 200
    agent = login("agent1")
    assert f"/agent/complaints/{roads.public_id}" in agent.get(f"/agent/search?q={roads.public_id}").text


def test_on_screen_the_second_move_between_two_departments_alerts_and_the_cap_stops_sending_back(app, login):
    import dataclasses
    import uuid

    from sqlalchemy import select

    from models.people.officers import Officer
    from models.people.users import Role, add_user
    from tests.desk.conftest import PASSWORD, log_in

    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"], transfer_cap=2)

    def user_for(code, role=Role.OFFICER):
        name = f"{code.lower()}.{uuid.uuid4().hex[:6]}"
        with unit_of_work() as uow:
            officer = uow.session.scalars(select(Officer).where(Officer.code == code)).one()
            add_user(session=uow.session, username=name, password=PASSWORD, role=role, officer_id=officer.id,
                     department_code=officer.department_code)
            uow.commit()
        return log_in(app.test_client(), name)

    def step(client, complaint, **data):
        url = f"/officer/complaints/{complaint.public_id}"
        return post_form(client, url, f"{url}/act", data)

    complaint = sent_back()  # REV's nodal officer sent it back once
    agent, rev_nodal, tehsildar = login("agent1"), login("nodal.rev"), login("tehsildar.abhanpur")
    pwd_l1, pwd_nodal = user_for("PWD-L1-RPR-ABH"), user_for("PWD-NODAL", Role.NODAL_OFFICER)
    act = f"/helpline/complaints/{complaint.public_id}/act"
    assert post_form(agent, "/helpline/returned", act, {"action": "transfer", "category": "PWD-RDS"}).status_code == 302
    assert step(pwd_l1, complaint, action="return", reason="राजस्व विभाग का मामला").status_code == 302
    assert step(pwd_nodal, complaint, action="send_back", reason="राजस्व विभाग का मामला").status_code == 302
    assert post_form(agent, "/helpline/returned", act, {"action": "transfer", "category": "REV-MUT"}).status_code == 302
    for nodal in (rev_nodal, pwd_nodal):
        alerts = nodal.get("/officer/").text
        assert 'data-alert="ping_pong"' in alerts and complaint.public_id in alerts
    assert step(tehsildar, complaint, action="return", reason="फिर से दूसरे विभाग का").status_code == 302
    capped = step(rev_nodal, complaint, action="send_back", reason="लोक निर्माण विभाग को")
    assert capped.status_code == 409 and "अनुमत सीमा तक स्थानांतरित" in capped.text
    assert state(complaint.public_id)[:2] == ("with_nodal", "REV")
