"""Routing's reference rows kept by a process between registrations, while the master data's
version stays the same (`models.reference.version`: triggers on the watched tables move it on).

A registration asks for the category with its department, the block named, the L1 officer and the
working calendar: four reads of rows that change a few times a month. A process keeps them, per
database, and asks one small question a registration — the version — instead; any change by any
writer (an admin screen, `helpline seed`, psql) is seen by the next registration in every process.

The rows kept are detached from the session that read them (no lazy loads, shared by a process's
threads): callers use their columns, not their relationships. After restoring a database from a
backup, restart the processes (the version could come back to a number they have seen).
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager

from sqlalchemy.orm import Session

from models.complaints.routing import Routes
from models.reference.places import Block, District, find_block
from models.reference.version import current


class KeptRoutes(Routes):
    """`Routes` whose rows outlive the session that asked, plus the places registration checks.

    Rows are read by a session of their own on the caller's connection (the caller's transaction,
    not its identity map), closed at once: they are detached from the start, and an object the
    caller had loaded is never taken from it."""

    def __init__(self) -> None:
        super().__init__()
        self._blocks: dict[tuple[str, str], Block | None] = {}
        self._districts: dict[str, bool] = {}

    def reading(self, session: Session):
        return _reader(session)

    def block(self, session: Session, district_code: str, name_or_code: str) -> Block | None:
        key = (district_code, name_or_code)
        if key not in self._blocks:
            with self.reading(session) as reader:
                self._blocks[key] = find_block(session=reader, district_code=district_code, name_or_code=name_or_code)
        return self._blocks[key]

    def has_district(self, session: Session, code: str) -> bool:
        if code not in self._districts:
            self._districts[code] = session.get(District, code) is not None
        return self._districts[code]


@contextmanager
def _reader(session: Session):
    """A session of its own on `session`'s connection, closed after: what it read is detached."""
    own = Session(bind=session.connection(), expire_on_commit=False, autoflush=False)
    try:
        yield own
    finally:
        own.close()


# Per engine (a process may open several databases: tests, the benchmarks): (version, its rows).
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept_routes(session: Session) -> KeptRoutes:
    """This process's routes for the session's database, as of the master data's version now."""
    engine = session.get_bind()
    version = current(session=session)
    held = _kept.get(engine)
    if held is None or held[0] != version:
        held = (version, KeptRoutes())
        _kept[engine] = held
    return held[1]
