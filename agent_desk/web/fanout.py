"""In-process fan-out of events to the browsers of one desk process.

Each desk process holds its own AMI connection and hands what it hears to the event streams
of browsers connected to it; nothing here is needed by any other process. An agent's browser
may reach any desk process: every process hears every AMI event, so every process can pop.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import defaultdict

log = logging.getLogger(__name__)


class Fanout:
    """Per-user queues of events; a slow or gone browser never blocks the AMI reader."""

    def __init__(self, maxsize: int = 100):
        self._lock = threading.Lock()
        self._queues: dict[str, set[queue.Queue]] = defaultdict(set)
        self._maxsize = maxsize

    def subscribe(self, username: str) -> queue.Queue:
        q: queue.Queue = queue.Queue(self._maxsize)
        with self._lock:
            self._queues[username].add(q)
        return q

    def unsubscribe(self, username: str, q: queue.Queue) -> None:
        with self._lock:
            self._queues[username].discard(q)
            if not self._queues[username]:
                del self._queues[username]

    def publish(self, username: str, event: dict) -> int:
        """Hand `event` to every open stream of `username`; returns how many got it."""
        with self._lock:
            targets = list(self._queues.get(username, ()))
        for q in targets:
            try:
                q.put_nowait(event)
            except queue.Full:
                log.warning("event stream of %s is full; dropping %s", username, event.get("type"))
        return len(targets)

    def listeners(self, username: str) -> int:
        with self._lock:
            return len(self._queues.get(username, ()))
