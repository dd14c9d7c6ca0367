"""Engine, sessions and the unit of work: one transaction per use case."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from models.core.settings import get_settings

log = logging.getLogger(__name__)


# A pooled PostgreSQL connection is pinged before use (a round trip) only when it has sat unused
# this long: a PostgreSQL restarted meanwhile is noticed before a request fails on it, while a desk
# or writer that reuses its connections within milliseconds does not pay a ping per transaction.
PING_AFTER_IDLE_S = 1.0


def make_engine(url: str, ping_after_idle_s: float = PING_AFTER_IDLE_S) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL's pooled
    connections are pinged when they come back from idleness (`ping_when_idle`)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy issue BEGIN itself so BEGIN IMMEDIATE can be used for writers.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE takes the write lock at once: no deadlock when two writers upgrade.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    ping_when_idle(engine, ping_after_idle_s)
    return engine


def ping_when_idle(engine: Engine, idle_s: float) -> None:
    """SQLAlchemy's `pool_pre_ping`, for connections idle at least `idle_s` only: a dead one makes
    the pool drop it and every connection older than it, and connect afresh (a new connection is
    never pinged)."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.InvalidatePoolError(f"ping after {time.monotonic() - since:.0f} s idle: {error}") from error


class Database:
    """One engine and its sessions. Each entrypoint (desk app, IVR server, worker) owns one,
    built from its own settings; nothing needs the process-wide default below."""

    def __init__(self, url: str, ping_after_idle_s: float = PING_AFTER_IDLE_S):
        import models.core.schema  # noqa: F401  (every table mapped before the first query)

        self.url = url
        self.engine = make_engine(url, ping_after_idle_s)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def unit_of_work(self):
        """`with db.unit_of_work() as uow: ...; uow.commit()` on a new session of this database."""
        session = self.session()
        try:
            with unit_of_work(session) as uow:
                yield uow
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


# The process-wide default, for one-shot commands (`helpline db|seed|users|tokens`) and tests
# that set a database up; long-running parts are handed a Database instead.
_default: Database | None = None


def configure_engine(url: str | None = None) -> Engine:
    """(Re)point the process-wide default at `url` (default: the settings' database)."""
    global _default
    if _default is not None:
        _default.dispose()
    _default = Database(url or get_settings().database_url)
    return _default.engine


def default_database() -> Database:
    if _default is None:
        configure_engine()
    assert _default is not None
    return _default


def get_engine() -> Engine:
    return default_database().engine


def new_session() -> Session:
    return default_database().session()


class UnitOfWork:
    """A session whose work is rolled back unless `commit()` is called; hooks run after commit."""

    def __init__(self, session: Session):
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run `hook` once the transaction is durable (notifications, screen pops)."""
        self._after_commit.append(hook)

    def commit(self) -> None:
        self.session.commit()
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            try:
                hook()
            except Exception:
                log.exception("after-commit hook failed")

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit = []


@contextmanager
def unit_of_work(session: Session | None = None):
    """`with unit_of_work() as uow: ...; uow.commit()` — anything uncommitted is rolled back.

    With no session, one of the process-wide default database is opened and closed here.
    """
    own = session is None
    session = session or new_session()
    uow = UnitOfWork(session)
    try:
        yield uow
    finally:
        uow.rollback()
        if own:
            session.close()
