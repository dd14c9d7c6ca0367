"""Engine, sessions and the unit of work: one transaction per use case."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from models.core.settings import get_settings

log = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
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
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    """One engine and its sessions. Each entrypoint (desk app, IVR server, worker) owns one,
    built from its own settings; nothing needs the process-wide default below."""

    def __init__(self, url: str):
        import models.core.schema  # noqa: F401  (every table mapped before the first query)

        self.url = url
        self.engine = make_engine(url)
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
