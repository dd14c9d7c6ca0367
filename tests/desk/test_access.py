"""Login, CSRF on every form, and each role refused what it must not do (a 403 page, not a crash)."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from agent_desk.web import FORM_BLUEPRINTS
from agent_desk.web.context import MENU
from models.core.db import unit_of_work
from tests.desk.conftest import post_form
from tests.factories import make_complaint

ROLE_USERS = ["agent1", "supervisor", "tehsildar.abhanpur", "nodal.rev", "secretary.rev",
              "jandarshan.raipur", "admin"]
PAGES = {  # page -> the demo users that may open it
    "/agent/": {"agent1", "supervisor"},
    "/agent/register": {"agent1", "supervisor"},
    "/agent/search": {"agent1", "supervisor", "admin", "nodal.rev", "secretary.rev"},
    "/supervisor/": {"supervisor", "admin"},
    "/officer/": {"tehsildar.abhanpur", "nodal.rev", "secretary.rev"},
    "/jandarshan/": {"jandarshan.raipur", "admin"},
    "/admin/users": {"admin"},
    "/admin/master": {"admin"},
}


def test_login_lands_on_the_roles_screen_and_bad_password_is_refused(app):
    client = app.test_client()
    assert client.get("/agent/register").status_code == 302  # to /login
    page = client.get("/login")
    bad = post_form(client, "/login", "/login", {"username": "agent1", "password": "wrong-password"})
    assert bad.status_code == 401
    assert page.status_code == 200
    good = post_form(client, "/login", "/login", {"username": "agent1", "password": "Helpline@2026"})
    assert good.status_code == 302 and good.location.endswith("/agent/")
    assert client.get("/agent/").status_code == 200
    out = post_form(client, "/agent/", "/logout", {})
    assert out.status_code == 302
    assert client.get("/agent/").status_code == 302


@pytest.mark.parametrize("username", ROLE_USERS)
def test_each_role_opens_its_pages_and_gets_403_elsewhere(login, username):
    client = login(username)
    for page, allowed in PAGES.items():
        response = client.get(page)
        if username in allowed:
            assert response.status_code == 200, (username, page)
        else:
            assert response.status_code == 403, (username, page)
            assert "403" in response.text and "<html" in response.text  # the page, not a crash


def test_agent_cannot_resolve_or_close_a_complaint(login, desk_database_url):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        uow.commit()
    agent = login("agent1")
    for action in ("resolve", "start"):
        response = post_form(agent, "/agent/", f"/officer/complaints/{complaint.public_id}/{action}",
                             {"resolution": "done"})
        assert response.status_code == 403
    # The officer it is assigned to may; another officer may not.
    assert post_form(login("collector.raipur"), "/officer/", f"/officer/complaints/{complaint.public_id}/resolve",
                     {"resolution": "निराकरण"}).status_code == 403
    ok = post_form(login("tehsildar.abhanpur"), "/officer/", f"/officer/complaints/{complaint.public_id}/resolve",
                   {"resolution": "नामांतरण कर दिया गया"})
    assert ok.status_code == 302
    with unit_of_work() as uow:
        from models.complaints.service import get_by_public_id
        assert get_by_public_id(session=uow.session, public_id=complaint.public_id).status.value == "resolved"


def test_only_admins_add_users(login):
    data = {"username": "intruder", "password": "long-enough-1", "role": "admin"}
    assert post_form(login("agent1"), "/agent/", "/admin/users", data).status_code == 403
    assert post_form(login("supervisor"), "/supervisor/", "/admin/users", data).status_code == 403


def test_a_post_without_csrf_token_fails(login, app):
    client = login("agent1")
    response = client.post("/agent/register", data={"mobile": "9876543210", "description": "बिना टोकन"})
    assert response.status_code == 400
    assert app.test_client().post("/login", data={"username": "agent1", "password": "Helpline@2026"}
                                  ).status_code == 400
    # and with a wrong token
    response = client.post("/agent/register", data={"mobile": "9876543210", "csrf_token": "forged"})
    assert response.status_code == 400


def test_every_desk_route_says_which_roles_may_use_it(app):
    unguarded = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".", 1)[0]
        if blueprint in FORM_BLUEPRINTS - {"auth"}:
            view = app.view_functions[rule.endpoint]
            if not getattr(view, "allowed_roles", None):
                unguarded.append(rule.rule)
    assert not unguarded, f"routes without a role check: {unguarded}"
    assert len([r for r in app.url_map.iter_rules() if r.endpoint.startswith("agent.")]) > 10


def test_unknown_page_is_a_404_page(login):
    response = login("agent1").get("/agent/complaints/0000000000")
    assert response.status_code == 404 and "404" in response.text


def test_login_follows_only_local_next_links(app):
    client = app.test_client()
    data = {"username": "agent1", "password": "Helpline@2026"}
    local = post_form(client, "/login", "/login?next=/agent/search", data)
    assert local.location == "/agent/search"
    client = app.test_client()
    for target in ("//evil.example/", "https://evil.example/"):
        response = post_form(client, "/login", f"/login?next={target}", data)
        assert response.location.endswith("/agent/"), target


MENU_NAV = re.compile(r'<nav class="menu">(.*?)</nav>', re.DOTALL)


@pytest.mark.parametrize("username", ROLE_USERS)
def test_the_menu_links_exactly_the_pages_the_role_may_open(app, login, username):
    """The menu asks the routes' own guards (access.roles_required), so it cannot drift from them."""
    client = login(username)
    landing = client.get("/", follow_redirects=True)
    shown = set(re.findall(r'href="([^"]+)"', MENU_NAV.search(landing.text).group(1)))
    with app.test_request_context():
        pages = [url_for(endpoint) for endpoint, _label in MENU]
    opens = {page for page in pages if client.get(page).status_code == 200}
    assert opens and shown == opens, (username, shown, opens)
