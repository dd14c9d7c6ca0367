"""The crash tests' parts: a database of their own, the real `helpline` processes they kill with
SIGKILL, and waiting on a condition with a deadline."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
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
