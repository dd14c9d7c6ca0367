"""Desk sessions: cookies the page's scripts cannot read and other sites cannot send, Secure behind
TLS, ended by logout and by idle time; logins locked after repeated wrong passwords."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from uuid import uuid4

from agent_desk.web.auth import SEEN
from models.core.base import utcnow
from models.core.db import unit_of_work
from models.people.audit import record_login
from models.people.lockout import locked_out
from models.people.users import add_user
from tests.desk.conftest import PASSWORD, csrf_token, log_in, post_form


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def _settings(app, **changes):
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"], **changes)


def test_the_session_cookie_is_httponly_and_samesite_lax(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "agent1", "password": PASSWORD,
                                           "csrf_token": csrf_token(client.get("/login").text)})
    cookie = _session_cookie(response)
    assert response.status_code == 302 and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development, plain http


def test_the_session_cookie_is_secure_when_asked(desk_database_url, recordings):
    from agent_desk import create_app
    from models.core.settings import get_settings

    settings = dataclasses.replace(get_settings(), secure_cookies=True, database_url=desk_database_url)
    app = create_app({"TESTING": True, "SECRET_KEY": "desk-tests"}, settings=settings)
    client = app.test_client()
    page = client.get("/login", base_url="https://localhost")
    response = client.post("/login", base_url="https://localhost", data={
        "username": "agent1", "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert "Secure" in _session_cookie(response)


def test_logout_ends_the_session_even_for_a_copied_cookie(app):
    client = log_in(app.test_client(), "agent1")
    assert client.get("/agent/").status_code == 200
    post_form(client, "/agent/", "/logout", {})
    assert client.get("/agent/").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session and "lang" not in session


def test_an_idle_session_ends(app):
    _settings(app, session_idle_minutes=30)
    client = log_in(app.test_client(), "agent1")
    with client.session_transaction() as session:
        session[SEEN] -= 29 * 60  # 29 minutes ago: still in
    assert client.get("/agent/").status_code == 200
    with client.session_transaction() as session:
        session[SEEN] -= 31 * 60
    response = client.get("/agent/")
    assert response.status_code == 302 and "/login" in response.location
    assert client.get("/agent/").status_code == 302  # and it stays ended


def _new_user() -> str:
    name = f"lock{uuid4().hex[:8]}"
    with unit_of_work() as uow:
        add_user(session=uow.session, username=name, password=PASSWORD, role="agent")
        uow.commit()
    return name


def _try(client, username, password):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client.get("/login").text)})


def test_login_locks_after_repeated_wrong_passwords(app):
    _settings(app, login_max_failures=5, login_lockout_minutes=15)
    name, client = _new_user(), app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.10"  # its failures count against no other test's address
    for _ in range(4):
        assert _try(client, name, "wrong-password").status_code == 401
    assert _try(client, name, PASSWORD).status_code == 302  # 4 failures: still allowed, and it resets
    for _ in range(5):
        assert _try(client, name, "wrong-password").status_code == 401
    locked = _try(app.test_client(), name, PASSWORD)
    assert locked.status_code == 429 and "15 मिनट के लिए बंद है" in locked.text  # Hindi first
    assert _try(app.test_client(), "agent1", PASSWORD).status_code == 302  # only that login is locked


def test_the_lock_lifts_after_the_window(app):
    name = _new_user()
    with unit_of_work() as uow:
        for minutes in (20, 19, 18, 17, 16):
            record_login(session=uow.session, username=name, succeeded=False).at = utcnow() - timedelta(minutes=minutes)
        uow.commit()
        args = dict(session=uow.session, username=name, max_failures=5)
        assert not locked_out(**args, minutes=15)
        assert locked_out(**args, minutes=30)
        assert locked_out(**args, minutes=15, now=utcnow() - timedelta(minutes=10))


def test_an_address_that_sends_many_wrong_passwords_is_refused(app):
    _settings(app, login_max_failures_per_address=3, login_lockout_minutes=15)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    for _ in range(3):
        assert _try(guesser, _new_user(), "wrong-password").status_code == 401  # a different name each time
    refused = _try(guesser, "agent1", PASSWORD)
    assert refused.status_code == 429 and "इस कंप्यूटर से" in refused.text
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "192.0.2.78"
    assert _try(colleague, "agent1", PASSWORD).status_code == 302  # another address still logs in
