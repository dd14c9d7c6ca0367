"""Shared fixtures: a real database on each backend (SQLite and PostgreSQL), seeded once.

PostgreSQL comes from `make test` (scripts/test-postgres.sh), which passes its URL in
HELPLINE_TEST_POSTGRES_URL. A missing server fails the PostgreSQL tests with a message; it
never skips them.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from models.core import db as model_db
from models.core.migrate import upgrade
from models.core.schema import metadata

BACKENDS = ["sqlite", "postgresql"]
PG_HINT = ("PostgreSQL for the tests is not running: run `make test` (it installs Debian's "
           "postgresql and starts scripts/test-postgres.sh), or `make pg-up` and export "
           "HELPLINE_TEST_POSTGRES_URL=$(cat var/test-postgres.url)")


def postgres_url() -> str:
    url = os.environ.get("HELPLINE_TEST_POSTGRES_URL", "")
    if not url:
        pytest.fail(PG_HINT, pytrace=False)
    return url


def fresh_postgres_database(name: str) -> str:
    """A new empty database on the test server; returns its URL.

    HELPLINE_TEST_DB_SUFFIX keeps the names of two test runs sharing one server apart.
    """
    name += os.environ.get("HELPLINE_TEST_DB_SUFFIX", "")
    base = postgres_url()
    admin = create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"{PG_HINT}\n({type(exc).__name__}: {exc})", pytrace=False)
    finally:
        admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def fresh_database_url(backend: str, tmp_path_factory, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'helpline.db'}"
    return fresh_postgres_database(name)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


def prepare_database(url: str) -> str:
    """Migrate `url`, point the engine at it and load reference data, demo officers and users."""
    upgrade(url)
    model_db.configure_engine(url)
    from models.seed.demo import seed_officers, seed_users
    from models.seed.reference import seed_reference

    with model_db.unit_of_work() as uow:
        seed_reference(session=uow.session)
        seed_officers(session=uow.session)
        seed_users(session=uow.session)
        uow.commit()
    return url


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory) -> str:
    """A migrated database with reference data, demo officers and users (no demo complaints)."""
    return prepare_database(fresh_database_url(backend, tmp_path_factory, f"helpline_{backend}_tests"))


@pytest.fixture
def engine(database_url):
    """The process-wide engine, pointed at this backend's test database."""
    current = model_db.get_engine()
    if current.url.render_as_string(hide_password=False) != database_url:
        model_db.configure_engine(database_url)
    return model_db.get_engine()


@contextmanager
def rolled_back_session(engine):
    """A session whose commits are savepoints inside one transaction that is rolled back."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def session(engine):
    """A real database session; everything it does is rolled back after the test."""
    with rolled_back_session(engine) as s:
        yield s


def pytest_collection_modifyitems(config, items):
    """Mark each test by the real parts it needs, so `make check` can run the unit tier alone."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "asterisk_settings" in fixtures:
            item.add_marker(pytest.mark.asterisk)
        if "[postgresql" in item.nodeid or item.name.endswith("_on_postgresql"):
            item.add_marker(pytest.mark.postgres)
        if fixtures & {"browser", "phone_browser"}:
            item.add_marker(pytest.mark.browser)


def pytest_report_header(config):
    url = os.environ.get("HELPLINE_TEST_POSTGRES_URL")
    return f"helpline: PostgreSQL tests on {url or 'NOT CONFIGURED (they will fail)'}"


__all__ = ["metadata", "rolled_back_session"]


def pytest_terminal_summary(terminalreporter):
    """Say how many tests ran on each database, so a run shows PostgreSQL was really used."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            for backend in BACKENDS:
                if f"[{backend}" in getattr(report, "nodeid", "") and report.when in ("call", "setup"):
                    if outcome == "passed" and report.when != "call":
                        continue
                    counts.setdefault(backend, {}).setdefault(outcome, 0)
                    counts[backend][outcome] += 1
    for backend in BACKENDS:
        figures = ", ".join(f"{n} {k}" for k, n in sorted(counts.get(backend, {}).items())) or "none"
        terminalreporter.write_line(f"helpline: tests on {backend}: {figures}")
