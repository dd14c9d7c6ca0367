"""Behind a reverse proxy (HELPLINE_TRUSTED_PROXIES, werkzeug's ProxyFix): the login and /track
limits count the client's address from the proxy's X-Forwarded-For; off by default, when that
header is ignored (a client cannot pick its own address by sending one)."""

from __future__ import annotations

import dataclasses
from uuid import uuid4

import pytest
from sqlalchemy import select

from agent_desk import create_app
from models.channels.limits import RateHit
from models.core.db import unit_of_work
from models.core.settings import get_settings
from models.people.users import add_user
from tests.desk.conftest import PASSWORD, csrf_token

PROXY = "10.0.0.5"  # every request reaches the desk from the proxy


def _app(desk_database_url, proxies: int):
    settings = dataclasses.replace(get_settings(), trusted_proxies=proxies, login_max_failures_per_address=3,
                                   database_url=desk_database_url)
    return create_app({"TESTING": True, "DATABASE_URL": desk_database_url, "SECRET_KEY": "proxy-tests"},
                      settings=settings)


def _client(app, forwarded_for: str):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client


def _login(client, username: str, password: str) -> int:
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client.get("/login").text)}).status_code


def _guess_three_times(client):
    for _ in range(3):
        name = f"proxy{uuid4().hex[:8]}"
        with unit_of_work() as uow:
            add_user(session=uow.session, username=name, password=PASSWORD, role="agent")
            uow.commit()
        assert _login(client, name, "wrong-password") == 401


def test_behind_one_proxy_the_limit_counts_the_clients_address(desk_database_url, app):
    proxied = _app(desk_database_url, proxies=1)
    guesser = f"198.51.100.{uuid4().int % 200 + 1}"
    _guess_three_times(_client(proxied, f"203.0.113.9, {guesser}"))  # a forged first entry is not believed
    assert _login(_client(proxied, guesser), "agent1", PASSWORD) == 429
    assert _login(_client(proxied, "192.0.2.200"), "agent1", PASSWORD) == 302  # a colleague behind the same proxy
    citizen = _client(proxied, guesser)
    tracked = citizen.post("/track", data={"id": "2600000000", "last4": "0000",
                                           "csrf_token": csrf_token(citizen.get("/track").text)})
    assert tracked.status_code != 500
    with unit_of_work() as uow:
        keys = set(uow.session.scalars(select(RateHit.key).where(RateHit.key.like("track:ip:%"))))
    assert f"track:ip:{guesser}" in keys


def test_by_default_the_forwarded_header_is_ignored(desk_database_url, app):
    direct = _app(desk_database_url, proxies=0)
    proxy = f"10.9.{uuid4().int % 200}.{uuid4().int % 200 + 1}"
    clients = [direct.test_client() for _ in range(2)]
    for n, client in enumerate(clients):
        client.environ_base.update(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 10}")
    _guess_three_times(clients[0])
    assert _login(clients[1], "agent1", PASSWORD) == 429  # counted against the address that connected


@pytest.mark.parametrize("raw, expected", [("", 0), ("2", 2)])
def test_the_setting_is_read_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("HELPLINE_TRUSTED_PROXIES", raw)
    from models.core.settings import Settings

    assert Settings.from_env().trusted_proxies == expected
