"""A database per backend with the reports' data set committed (for the API and the screens,
which read through their own sessions), and a desk app on it."""

from __future__ import annotations

import pytest

from agent_desk import create_app
from models.core import db as model_db
from models.core.db import unit_of_work
from models.people.tokens import create_token
from tests.conftest import fresh_database_url, prepare_database
from tests.reports import dataset


@pytest.fixture(scope="session")
def reports_url(backend, tmp_path_factory) -> str:
    url = prepare_database(fresh_database_url(backend, tmp_path_factory, f"helpline_reports_{backend}"))
    with unit_of_work() as uow:
        dataset.build(uow.session)
        uow.commit()
    return url


@pytest.fixture
def reports_db(reports_url):
    """The process-wide engine on the reports' database (factories and unit_of_work write there)."""
    if model_db.get_engine().url.render_as_string(hide_password=False) != reports_url:
        model_db.configure_engine(reports_url)
    return reports_url


@pytest.fixture
def reports_app(reports_db):
    return create_app({"TESTING": True, "DATABASE_URL": reports_db, "SECRET_KEY": "reports-tests"})


@pytest.fixture
def token_for(reports_db):
    """token_for("secretary.rev") -> an officer token; token_for(None) -> an `api` token."""
    def make(login: str | None) -> dict:
        with unit_of_work() as uow:
            value = create_token(session=uow.session, name=f"reports-{login or 'api'}",
                                 scope="officer" if login else "api", officer_login=login)
            uow.commit()
        return {"Authorization": f"Bearer {value}"}
    return make
