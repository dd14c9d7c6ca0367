"""Event subscriptions of the AMI client: a queue per subscriber, read as an async iterator."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from ivr.ami.protocol import AmiMessage

log = logging.getLogger(__name__)


class EventStream:
    """The events a subscriber asked for (all when no names), in arrival order."""

    def __init__(self, names: Iterable[str], on_close: Callable[["EventStream"], None]):
        self.names = frozenset(names)
        self._queue: asyncio.Queue[AmiMessage] = asyncio.Queue()
        self._on_close = on_close

    def wants(self, message: AmiMessage) -> bool:
        return not self.names or message.name in self.names

    def put(self, message: AmiMessage) -> None:
        self._queue.put_nowait(message)

    async def get(self, timeout: float | None = None) -> AmiMessage:
        """The next event; TimeoutError when none comes in time."""
        async with asyncio.timeout(timeout):
            return await self._queue.get()

    async def wait_for(self, predicate: Callable[[AmiMessage], bool], timeout: float) -> AmiMessage:
        """The first event that satisfies predicate (others are dropped)."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self._queue.get()
                if predicate(message):
                    return message

    def close(self) -> None:
        self._on_close(self)

    def __aiter__(self) -> "EventStream":
        return self

    async def __anext__(self) -> AmiMessage:
        return await self._queue.get()

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Listener:
    """A callback for some event names; a coroutine result runs as a task."""

    def __init__(self, callback: Callable[[AmiMessage], object], names: Iterable[str]):
        self.callback = callback
        self.names = frozenset(names)
        self.tasks: set[asyncio.Task] = set()

    def wants(self, message: AmiMessage) -> bool:
        return not self.names or message.name in self.names

    def put(self, message: AmiMessage) -> None:
        try:
            result = self.callback(message)
        except Exception:
            log.exception("AMI listener %r failed on %s", self.callback, message.name)
            return
        if asyncio.iscoroutine(result):
            task = asyncio.ensure_future(result)
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
