"""The call record, written behind the call: steps are queued at once and stored in batches.

A prompt or key press never waits for the database; one writer task commits whatever has
queued (from every call) in one transaction, gathered for GATHER_S, so hundreds of calls cost a
few commits a second.
A batch is a few Core statements (models/calls/journal.py): the calls' ids are kept here while
the calls last, so a step costs no look-up.
`await journal.sync()` waits until everything queued so far is stored.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from ivr.flows.database import DatabaseThreads
from models.calls import journal as records
from models.core.base import utcnow

log = logging.getLogger(__name__)

MAX_BATCH = 200  # a batch holds the SQLite write lock; keep it short for the drafts
GATHER_S = 0.05  # a batch waits this long for other calls' steps: a few transactions a second, not hundreds


@dataclass(frozen=True)
class _Op:
    uniqueid: str
    what: str                      # start, step, caller, finish
    args: tuple[str | None, ...]
    at: datetime = field(default_factory=utcnow)  # when it happened, not when it was stored


class Journal:
    """Queues call-record writes and stores them from one background task."""

    def __init__(self, db: DatabaseThreads):
        self.db = db
        self._queue: asyncio.Queue[_Op | asyncio.Future] = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self._ids: dict[str, int] = {}  # calls.id of the calls under way, once stored

    def start(self, uniqueid: str, caller: str, channel: str | None, language: str) -> None:
        self._put(_Op(uniqueid, "start", (caller, channel, language)))

    def step(self, uniqueid: str, kind: str, name: str, value: str | None = None) -> None:
        self._put(_Op(uniqueid, "step", (kind, name, value)))

    def caller(self, uniqueid: str, number: str) -> None:
        """The caller's number, keyed in because the network did not give it."""
        self._put(_Op(uniqueid, "caller", (number,)))

    def finish(self, uniqueid: str, disposition: str | None) -> None:
        self._put(_Op(uniqueid, "finish", (disposition,)))

    async def sync(self) -> None:
        """Wait until every write queued before this call is committed."""
        done = asyncio.get_running_loop().create_future()
        self._put(done)
        await done

    async def close(self) -> None:
        await self.sync()
        if self._task:
            self._task.cancel()

    def _put(self, item: _Op | asyncio.Future) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._writer(), name="call-journal")
        self._queue.put_nowait(item)

    async def _writer(self) -> None:
        while True:
            batch = [await self._queue.get()]
            if isinstance(batch[0], _Op) and self._queue.qsize() < MAX_BATCH:
                await asyncio.sleep(GATHER_S)
            while not self._queue.empty() and len(batch) < MAX_BATCH:
                batch.append(self._queue.get_nowait())
            ops = [item for item in batch if isinstance(item, _Op)]
            if ops:
                try:
                    self._stored(ops, await self._store(ops))
                except Exception:
                    log.exception("call journal: batch of %d failed; storing one by one", len(ops))
                    await self._one_by_one(ops)
            for item in batch:
                if isinstance(item, asyncio.Future) and not item.done():
                    item.set_result(None)

    async def _one_by_one(self, ops: list[_Op]) -> None:
        for op in ops:
            try:
                self._stored([op], await self._store([op]))
            except Exception:
                log.exception("call journal: dropped %s for call %s", op.what, op.uniqueid)

    async def _store(self, ops: list[_Op]) -> dict[str, int]:
        return await self.db.run(functools.partial(_apply, ops=ops, ids=dict(self._ids)))

    def _stored(self, ops: list[_Op], ids: dict[str, int]) -> None:
        """Remember the ids of calls under way (committed); forget a call once it has finished."""
        self._ids.update(ids)
        for op in ops:
            if op.what == "finish":
                self._ids.pop(op.uniqueid, None)


def _apply(session: Session, *, ops: list[_Op], ids: dict[str, int]) -> dict[str, int]:
    """Store `ops` in a few statements; `ids` are the calls known stored. Returns the ids now known."""
    starts = [records.CallStart(op.uniqueid, *op.args, at=op.at) for op in ops
              if op.what == "start" and op.uniqueid not in ids]
    ids.update(records.start_calls(session=session, starts=starts))
    missing = {op.uniqueid for op in ops} - ids.keys()
    ids.update(records.call_ids(session=session, uniqueids=missing))  # e.g. opened by a draft
    steps, callers, ends = [], {}, []
    for op in ops:
        call_id = ids.get(op.uniqueid)
        if call_id is None:
            log.warning("call journal: %s for unknown call %s", op.what, op.uniqueid)
        elif op.what == "step":
            kind, name, value = op.args
            steps.append(records.StepRow(call_id, kind or "event", name or "", value, op.at))
        elif op.what == "caller":
            callers[call_id] = op.args[0]
        elif op.what == "finish":
            ends.append((call_id, op.args[0], op.at))
    records.add_steps(session=session, steps=steps)
    records.set_callers(session=session, numbers=callers)
    records.finish_calls(session=session, ends=ends)
    return ids
