"""`helpline worker`: the scheduled jobs, each a small function run on its own interval."""

from __future__ import annotations

import logging
import threading
import time

from models.complaints.sla import sweep_overdue

log = logging.getLogger(__name__)

JOBS = [
    # (name, function, seconds between runs)
    ("sla-sweep", sweep_overdue, 60),
]


def run_worker(settings, stop: threading.Event | None = None) -> None:
    """Run every job on its interval until `stop` is set; a failing run is logged, not fatal."""
    stop = stop or threading.Event()
    next_run = {name: 0.0 for name, _, _ in JOBS}
    log.info("worker started: %s", ", ".join(name for name, _, _ in JOBS))
    while not stop.is_set():
        now = time.monotonic()
        for name, job, interval in JOBS:
            if now >= next_run[name]:
                try:
                    job()
                except Exception:
                    log.exception("job %s failed", name)
                next_run[name] = now + interval
        stop.wait(1.0)
