"""Fixtures for the call-flow tests: a real SQLite database (migrated, seeded) and settings."""

from __future__ import annotations

import dataclasses

import pytest

from models.core import db as model_db
from models.core.migrate import upgrade
from models.core.settings import Settings


@pytest.fixture(scope="session")
def ivr_database_url(tmp_path_factory) -> str:
    """A migrated SQLite file with the districts, departments and demo officers."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ivr-db') / 'helpline.db'}"
    upgrade(url)
    model_db.configure_engine(url)
    from models.seed.demo import seed_officers
    from models.seed.reference import seed_reference

    with model_db.unit_of_work() as uow:
        seed_reference(session=uow.session)
        seed_officers(session=uow.session)
        uow.commit()
    return url


@pytest.fixture
def ivr_db(ivr_database_url):
    """The process-wide engine pointed at the IVR test database."""
    if model_db.get_engine().url.render_as_string(hide_password=False) != ivr_database_url:
        model_db.configure_engine(ivr_database_url)
    return model_db.get_engine()


@pytest.fixture
def ivr_settings(tmp_path, monkeypatch, ivr_db) -> Settings:
    """Settings with recordings and prompts in tmp; the FastAGI server on a free port."""
    monkeypatch.setenv("HELPLINE_SECRET_KEY", "test-only")
    recordings, prompts = tmp_path / "recordings", tmp_path / "prompts"
    return dataclasses.replace(
        Settings.from_env(), database_url=ivr_db.url.render_as_string(hide_password=False),
        agi_host="127.0.0.1", agi_port=0, recordings_dir=recordings,
        asterisk_recordings_dir=str(recordings), prompts_dir=prompts,
        asterisk_prompts_dir=str(prompts))
