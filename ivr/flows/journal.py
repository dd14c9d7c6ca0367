"""The call record, written behind the call: steps are queued at once and stored in batches.

A prompt or key press never waits for the database; one writer task commits whatever has
queued (from every call) in one transaction, so hundreds of calls cost a few commits a second.
`await journal.sync()` waits until everything queued so far is stored.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ivr.flows.database import DatabaseThreads
from models.calls import service as calls
from models.calls.call import Call

log = logging.getLogger(__name__)

MAX_BATCH = 200  # a batch holds the SQLite write lock; keep it short for the drafts


@dataclass(frozen=True)
class _Op:
    uniqueid: str
    what: str                      # start, step, caller, finish
    args: tuple[str | None, ...]


class Journal:
    """Queues call-record writes and stores them from one background task."""

    def __init__(self, db: DatabaseThreads):
        self.db = db
        self._queue: asyncio.Queue[_Op | asyncio.Future] = asyncio.Queue()
        self._task: asyncio.Task | None = None

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
            while not self._queue.empty() and len(batch) < MAX_BATCH:
                batch.append(self._queue.get_nowait())
            ops = [item for item in batch if isinstance(item, _Op)]
            if ops:
                try:
                    await self.db.run(lambda s: _apply(s, ops))
                except Exception:
                    log.exception("call journal: batch of %d failed; storing one by one", len(ops))
                    await self._one_by_one(ops)
            for item in batch:
                if isinstance(item, asyncio.Future) and not item.done():
                    item.set_result(None)

    async def _one_by_one(self, ops: list[_Op]) -> None:
        for op in ops:
            try:
                await self.db.run(lambda s, op=op: _apply(s, [op]))
            except Exception:
                log.exception("call journal: dropped %s for call %s", op.what, op.uniqueid)


def _apply(session: Session, ops: list[_Op]) -> None:
    seen: dict[str, Call | None] = {}
    pending: dict[str, list[tuple[str | None, ...]]] = {}
    for op in ops:
        if op.uniqueid not in seen:
            seen[op.uniqueid] = calls.get_by_uniqueid(session=session, uniqueid=op.uniqueid)
        call = seen[op.uniqueid]
        if op.what == "start":
            caller, channel, language = op.args
            seen[op.uniqueid] = call or calls.start_call(
                session=session, uniqueid=op.uniqueid, caller_number=caller or "",
                channel=channel, language=language or "hi")
        elif call is None:
            log.warning("call journal: %s for unknown call %s", op.what, op.uniqueid)
        elif op.what == "step":
            pending.setdefault(op.uniqueid, []).append(op.args)
        elif op.what == "caller":
            calls.update_call(session=session, call=call, caller_number=op.args[0])
        elif op.what == "finish":
            _store_steps(session, call, pending.pop(op.uniqueid, []))
            calls.finish_call(session=session, call=call, disposition=op.args[0])
    for uniqueid, steps in pending.items():
        _store_steps(session, seen[uniqueid], steps)


def _store_steps(session: Session, call: Call | None, steps: list[tuple[str | None, ...]]) -> None:
    if not steps or call is None:
        return
    rows = [(kind or "event", name or "", value) for kind, name, value in steps]
    calls.record_steps(session=session, call=call, steps=rows)  # one INSERT for the batch
