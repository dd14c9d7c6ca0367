"""The desk on its own test database (seeded with demo data once per backend) and logged-in clients."""

from __future__ import annotations

import dataclasses
import re

import pytest

from agent_desk import create_app
from models import db as model_db
from models.migrate import upgrade
from models.seed import seed
from tests.conftest import fresh_database_url

PASSWORD = "Helpline@2026"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def desk_database_url(backend, tmp_path_factory) -> str:
    """A migrated database with reference data, demo users and 300 demo complaints."""
    url = fresh_database_url(backend, tmp_path_factory, f"helpline_desk_{backend}")
    upgrade(url)
    model_db.configure_engine(url)
    seed(demo=True)
    return url


@pytest.fixture
def recordings(tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    return folder


@pytest.fixture
def app(desk_database_url, recordings):
    app = create_app({"TESTING": True, "DATABASE_URL": desk_database_url, "SECRET_KEY": "desk-tests"})
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          recordings_dir=recordings)
    return app


def csrf_token(page_text: str) -> str:
    match = CSRF.search(page_text)
    assert match, "the page has no CSRF token"
    return match.group(1)


def log_in(client, username: str):
    """Log `client` in as a demo user; returns the client."""
    token = csrf_token(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return client


@pytest.fixture
def login(app):
    """login("agent1") -> a test client logged in as that demo user."""
    return lambda username: log_in(app.test_client(), username)


def post_form(client, page: str, url: str, data: dict, **kwargs):
    """GET `page` for its CSRF token, then POST `data` with it to `url`."""
    token = csrf_token(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)
