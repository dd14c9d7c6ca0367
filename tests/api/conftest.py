"""A desk app on the test database and an API token."""

import pytest

from agent_desk import create_app
from models.core.db import unit_of_work
from models.people.tokens import create_token


@pytest.fixture
def app(database_url, engine):
    return create_app({"TESTING": True, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": True,
                       "SECRET_KEY": "api-tests"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(engine):
    with unit_of_work() as uow:
        value = create_token(session=uow.session, name="tests", scope="api")
        uow.commit()
    return value


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}
