"""A `helpline ivr` process for the benchmarks: started fresh, warmed up, its CPU and memory read
from /proc, its own turnaround figures on SIGUSR1, stopped at the end."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of every thread of `pid` so far (/proc/<pid>/stat utime+stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S


async def settled_cpu(pid: int, quiet_s: float = 0.3, limit_s: float = 5.0) -> float:
    """cpu_seconds once the process has gone quiet (the journal's last batches stored), or after limit_s."""
    deadline, last = time.monotonic() + limit_s, cpu_seconds(pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(quiet_s)
        now = cpu_seconds(pid)
        if now == last:
            break
        last = now
    return last


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the FastAGI server did not listen on {port}")


async def server_stats(pid: int, path: Path) -> dict:
    """The server's own turnaround figures since the last call (SIGUSR1 -> STATS.dump)."""
    path.unlink(missing_ok=True)
    os.kill(pid, signal.SIGUSR1)
    for _ in range(100):
        if path.exists() and path.stat().st_size:
            return json.loads(path.read_text())
        await asyncio.sleep(0.05)
    raise RuntimeError("the FastAGI server wrote no turnaround figures")


@contextlib.asynccontextmanager
async def ivr_server(env: dict, workdir: Path, warm_up, *, code: Path = ROOT):
    """A fresh `helpline ivr` process running the code under `code` (this checkout, or an older
    revision's to compare with), warmed up by `warm_up(port)`; yields (port, pid, stats file)."""
    port, stats = free_port(), workdir / f"turnaround-{os.getpid()}.json"
    server = subprocess.Popen([sys.executable, "-m", "scripts.cli", "ivr"], cwd=code,
                              env={**env, "PYTHONPATH": str(code), "HELPLINE_AGI_PORT": str(port),
                                   "HELPLINE_AGI_STATS_FILE": str(stats)},
                              stdout=subprocess.DEVNULL, stderr=open(workdir / "server.log", "a"))
    try:
        await wait_for_port(port)
        await warm_up(port)  # imports, pools, caches
        await server_stats(server.pid, stats)  # its figures start afresh
        yield port, server.pid, stats
    finally:
        server.terminate()
        server.wait(10)
