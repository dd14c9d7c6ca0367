"""Synchronous SQLAlchemy work run off the event loop, so one slow query stalls no other call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.orm import Session

from models.core.db import Database

log = logging.getLogger(__name__)

T = TypeVar("T")


class DatabaseThreads:
    """A small thread pool; each `run` is one unit of work on `database`, committed when `fn` returns."""

    def __init__(self, database: Database, workers: int = 8):
        self.database = database
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ivr-db")

    async def run(self, fn: Callable[[Session], T]) -> T:
        """`fn(session)` in a worker thread; return plain data, not ORM rows (the session closes)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._in_transaction, fn)

    def close(self) -> None:
        """Wait for the work under way, then close the database's connections."""
        self._pool.shutdown(wait=True)
        self.database.dispose()

    def _in_transaction(self, fn: Callable[[Session], T]) -> T:
        with self.database.unit_of_work() as uow:
            result = fn(uow.session)
            uow.commit()
            return result
