"""Work the desk starts and does not wait for (a Jandarshan import), in a thread of its own."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from agent_desk import db

log = logging.getLogger(__name__)


def run_in_background(name: str, work: Callable[[Session], object]) -> threading.Thread:
    """Run `work(session)` in a daemon thread with its own session of the app's database."""
    database = db.database()

    def target() -> None:
        with database.session() as session:
            try:
                work(session)
            except Exception:
                log.exception("background work %s failed", name)

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread
