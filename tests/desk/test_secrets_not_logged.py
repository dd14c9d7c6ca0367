"""Secrets stay secret: every setting that holds one is a Secret (its repr hides it), and a login's
password never reaches the log or the audit trail, right or wrong."""

from __future__ import annotations

import dataclasses
import logging

from sqlalchemy import select

from models.core.db import unit_of_work
from models.core.settings import Secret, Settings, get_settings
from models.people.audit import AuditEvent
from tests.desk.conftest import PASSWORD, csrf_token

SECRET_WORDS = ("secret", "key", "token", "password")


def test_every_secret_setting_is_hidden_in_its_repr(monkeypatch):
    names = [f.name for f in dataclasses.fields(Settings) if any(w in f.name for w in SECRET_WORDS)]
    assert len(names) >= 7, names  # ami_secret, secret_key, demo_password, carrier_secret, sms_key, …
    settings = get_settings()
    markers = {name: f"marker-{i}-s3cr3t" for i, name in enumerate(names)}
    settings = dataclasses.replace(settings, **{n: Secret(v) for n, v in markers.items()})
    for name in names:
        assert isinstance(getattr(get_settings(), name), Secret), f"{name} must be a Secret"
    assert not [v for v in markers.values() if v in repr(settings)]


def test_a_password_never_reaches_the_log_or_the_audit_trail(app, caplog):
    wrong = "Zebra-Wrong-991"
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    for password in (wrong, PASSWORD):
        client.post("/login", data={"username": "agent1", "password": password,
                                    "csrf_token": csrf_token(client.get("/login").text)})
    assert "login agent1" in caplog.text  # the log was captured
    with unit_of_work() as uow:
        rows = [(r.actor, r.subject, r.note) for r in uow.session.scalars(select(AuditEvent))]
    assert any(r[1] == "user:agent1" for r in rows)
    for password in (wrong, PASSWORD):
        assert password not in caplog.text and not [r for r in rows if password in " ".join(r)]
