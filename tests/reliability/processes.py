"""The crash tests' parts: a database of their own, the real `helpline` processes they kill with
SIGKILL, and waiting on a condition with a deadline."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from scripts.bench.data import prepare
from tests.conftest import fresh_database_url

HELPLINE = Path(sys.executable).with_name("helpline")


def seeded_database(backend: str, tmp_path_factory, name: str) -> str:
    """A new migrated database with reference data and the demo officers; its URL."""
    return prepare(fresh_database_url(backend, tmp_path_factory, f"{name}_{backend}"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str, every: float = 0.02):
    """Poll `predicate` until it is truthy and return its value; fail naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(every)


def start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`helpline ARGS` as a process of its own, its output appended to `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen([str(HELPLINE), *args], env=dict(os.environ, **env),
                                stdout=out, stderr=subprocess.STDOUT)


def kill_9(process: subprocess.Popen) -> None:
    """SIGKILL: no handler, no flush, no rollback — the process is simply gone."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        kill_9(process)


# A worker's pass (ivr/outbound.py) in a process of its own, killed the moment it has dialled the
# complaint named: each Originate is written down — and, given a FastAGI port, really sent to the
# local Asterisk first — and the process dies before anything after that dial can run.
DYING_WORKER = """
import json, os, signal, sys
from datetime import datetime
from ivr import outbound
from ivr.ami.client import run_action
from models.core.db import Database
from models.core.settings import get_settings

job, url, now, dialled, public_id, agi_port = sys.argv[1:]
settings = get_settings()

def originate(action):
    if agi_port:
        run_action(settings, {**action, "Variable": [*action["Variable"], f"HELPLINE_AGI_PORT={agi_port}"]})
    with open(dialled, "a") as out:
        out.write(json.dumps(action) + "\\n")
        out.flush()
        os.fsync(out.fileno())
    if any(public_id in variable for variable in action["Variable"]):
        os.kill(os.getpid(), signal.SIGKILL)

extra = {"agents": lambda: 1} if job == "place_callbacks" else {}
getattr(outbound, job)(database=Database(url), now=datetime.fromisoformat(now), settings=settings,
                       originate=originate, **extra)
"""


def die_while_dialling(job: str, url: str, now: datetime, dialled: Path, public_id: str,
                       agi_port: int | None = None, **env: str) -> list[dict]:
    """Run the worker's `job` in a process killed inside the Originate of `public_id`'s call; the
    actions it sent."""
    died = subprocess.run([sys.executable, "-c", DYING_WORKER, job, url, now.isoformat(), str(dialled), public_id,
                           str(agi_port or "")], env=dict(os.environ, HELPLINE_DATABASE_URL=url, **env),
                          capture_output=True, text=True, timeout=120, check=False)
    assert died.returncode == -signal.SIGKILL, died.stderr
    return [json.loads(line) for line in dialled.read_text().splitlines()]
