"""A pooled PostgreSQL connection is pinged only when it comes back from idleness, and a dead one
is replaced before a unit of work runs on it (models/core/db.py: ping_when_idle)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from models.core.db import Database
from tests.conftest import fresh_postgres_database


@pytest.fixture(scope="module")
def pg_url() -> str:
    return fresh_postgres_database("helpline_pool_ping")


def _backend_pid(database: Database) -> int:
    with database.unit_of_work() as uow:
        return uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _counting_pings(database: Database) -> list[object]:
    pings, ping = [], database.engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    database.engine.dialect.do_ping = counted
    return pings


def test_a_connection_reused_at_once_is_not_pinged(pg_url):
    database = Database(pg_url, ping_after_idle_s=3600)
    pings = _counting_pings(database)
    try:
        pids = {_backend_pid(database) for _ in range(5)}
    finally:
        database.dispose()
    assert len(pids) == 1, "the pool should hand the same connection back"
    assert pings == []


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(pg_url):
    database = Database(pg_url, ping_after_idle_s=0)  # every reuse counts as idle
    pings = _counting_pings(database)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        first = _backend_pid(database)
        assert _backend_pid(database) == first and len(pings) == 1, "a live idle connection is pinged and kept"
        with admin.connect() as conn:  # PostgreSQL drops the pooled connection's backend, as a restart does
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one()
        second = _backend_pid(database)
    finally:
        admin.dispose()
        database.dispose()
    assert second != first, "the unit of work ran on a new connection, not on the dead one"
    assert len(pings) == 2
