"""The citizens' channels on their own test database (reference data, demo officers and users;
no demo complaints), the desk app on it, and helpers to read what the SMS outbox was asked."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import select

from agent_desk import create_app
from models.core import db as model_db
from models.core.db import unit_of_work
from models.notifications.outbox import OutboxMessage
from tests.conftest import fresh_database_url, prepare_database
from tests.desk.conftest import browser, csrf_token, live_server  # noqa: F401  (fixtures)

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"


@pytest.fixture(scope="session")
def channels_database_url(backend, tmp_path_factory) -> str:
    return prepare_database(fresh_database_url(backend, tmp_path_factory, f"helpline_channels_{backend}"))


@pytest.fixture
def app(channels_database_url, tmp_path):
    if model_db.get_engine().url.render_as_string(hide_password=False) != channels_database_url:
        model_db.configure_engine(channels_database_url)
    app = create_app({"TESTING": True, "DATABASE_URL": channels_database_url,
                      "SECRET_KEY": "channels-tests"})
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(
        app.config["HELPLINE_SETTINGS"], attachments_dir=tmp_path / "attachments",
        whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_token="", whatsapp_phone_number_id="")
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def last_sms(mobile: str, kind: str | None = None) -> OutboxMessage:
    """The newest outbox message to `mobile` (of `kind`), as the SMS gateway would be asked."""
    with unit_of_work() as uow:
        query = select(OutboxMessage).where(OutboxMessage.mobile == mobile)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        message = uow.session.scalars(query.order_by(OutboxMessage.id.desc())).first()
        assert message is not None, f"no SMS to {mobile}"
        uow.session.expunge(message)
        return message


def code_in(message: OutboxMessage) -> str:
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


__all__ = ["csrf_token"]
