"""Load generator: N concurrent calls through the real call flow, FastAGI server vs per-call AGI.

Speaks AGI as Asterisk does (headers, then command/reply turns with think times) using
ivr.agi.simulator. One FastAGI server process (`helpline ivr`) serves every call; the
baseline spawns `python -m ivr.per_call_agi` (pyst2) per call, measured in the same run.

    .venv/bin/python scripts/bench/agi_load.py --write docs/PERFORMANCE.md
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ivr.agi.simulator import SimulatedCall  # noqa: E402

log = logging.getLogger(__name__)

NEW_COMPLAINT = ["1", "1", "2", "7", "#"]   # Hindi, new complaint, district 27 (Raipur), '#' ends recording
SETUP_ONLY = ["hangup"]                     # answered, welcome starts, caller hangs up


@dataclass
class Level:
    kind: str
    n: int
    calls_per_s: float
    p50_ms: float          # turnaround as the simulated Asterisk sees it
    p99_ms: float
    setup_p50_ms: float
    mib_per_call: float
    completed: int
    server_p50_ms: float | None = None   # measured inside the FastAGI server
    server_p99_ms: float | None = None


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def median_level(runs: list[Level]) -> Level:
    """Each figure's median over repeated runs (these machines are noisy)."""
    first = runs[0]
    pick = lambda name: statistics.median(getattr(r, name) for r in runs)  # noqa: E731
    return Level(first.kind, first.n, pick("calls_per_s"), pick("p50_ms"), pick("p99_ms"),
                 pick("setup_p50_ms"), pick("mib_per_call"), min(r.completed for r in runs),
                 None if first.server_p50_ms is None else pick("server_p50_ms"),
                 None if first.server_p99_ms is None else pick("server_p99_ms"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class PeakSampler:
    """Samples a memory figure every few milliseconds and keeps the peak."""

    def __init__(self, measure):
        self.measure, self.peak, self._task = measure, 0, None

    async def _loop(self):
        while True:
            self.peak = max(self.peak, self.measure())
            await asyncio.sleep(0.01)

    def __enter__(self):
        self._task = asyncio.get_running_loop().create_task(self._loop())
        return self

    def __exit__(self, *exc):
        self._task.cancel()


def summarise(kind: str, n: int, calls: list[SimulatedCall], wall: float, mib: float) -> Level:
    turns = [t for c in calls for t in c.turnarounds[1:]]
    setups = [c.turnarounds[0] for c in calls if c.turnarounds]
    done = sum(c.variables.get("HELPLINE_NEXT") == "queue" for c in calls)
    return Level(kind, n, n / wall, percentile(turns, 0.5) * 1e3, percentile(turns, 0.99) * 1e3,
                 statistics.median(setups) * 1e3 if setups else 0.0, mib, done)


RECORD_S = 3.0  # the caller describing the complaint (the draft is written meanwhile)
JITTER = 0.3
WARM_UP = 5


def make_calls(prefix: str, n: int, inputs: list[str], think: float) -> list[SimulatedCall]:
    return [SimulatedCall(uniqueid=f"{prefix}.{i}", caller=f"98{i:08d}", inputs=inputs,
                          think_s=think, record_s=max(think, RECORD_S if think else 0.0),
                          jitter=JITTER, write_recordings=False) for i in range(n)]


async def arriving(calls: list[SimulatedCall], start_call, ramp_s: float) -> None:
    """Start the calls spread evenly over `ramp_s` (calls arrive; they do not all ring at once)."""
    async def one(i, call):
        await asyncio.sleep(ramp_s * i / max(1, len(calls)))
        await start_call(call)

    await asyncio.gather(*(one(i, c) for i, c in enumerate(calls)))


async def server_stats(pid: int, path: Path) -> dict:
    """The server's own turnaround figures since the last call (SIGUSR1 -> STATS.dump)."""
    path.unlink(missing_ok=True)
    os.kill(pid, signal.SIGUSR1)
    for _ in range(100):
        if path.exists() and path.stat().st_size:
            return json.loads(path.read_text())
        await asyncio.sleep(0.05)
    raise RuntimeError("the FastAGI server wrote no turnaround figures")


async def fastagi_level(port: int, pid: int, n: int, think: float, tag: str, stats: Path) -> Level:
    calls = make_calls(f"fa{tag}{n}", n, NEW_COMPLAINT, think)
    await server_stats(pid, stats)  # start afresh
    idle = rss_kib(pid)
    with PeakSampler(lambda: rss_kib(pid)) as peak:
        start = time.perf_counter()
        await arriving(calls, lambda c: c.run("127.0.0.1", port), think)
        wall = time.perf_counter() - start
    level = summarise("FastAGI", n, calls, wall, max(0, peak.peak - idle) / 1024 / n)
    inside = await server_stats(pid, stats)
    level.server_p50_ms, level.server_p99_ms = inside["p50_ms"], inside["p99_ms"]
    return level


async def per_call(call: SimulatedCall, env: dict, pids: set[int], script: str = "ivr") -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ivr.per_call_agi", script, cwd=ROOT, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    pids.add(proc.pid)
    try:
        await call.converse(proc.stdout, proc.stdin)
        await proc.wait()
    finally:
        pids.discard(proc.pid)


async def per_call_level(env: dict, n: int, think: float, tag: str) -> Level:
    calls = make_calls(f"pc{tag}{n}", n, NEW_COMPLAINT, think)
    pids: set[int] = set()
    with PeakSampler(lambda: sum(rss_kib(p) for p in list(pids))) as peak:
        start = time.perf_counter()
        await arriving(calls, lambda c: per_call(c, env, pids), think)
        wall = time.perf_counter() - start
    return summarise("per-call AGI", n, calls, wall, peak.peak / 1024 / n)


async def setup_rate(run_one, total: int, parallel: int) -> float:
    """Calls per second when each call is only set up (answered, first prompt, hang-up)."""
    gate = asyncio.Semaphore(parallel)

    async def one(call):
        async with gate:
            await run_one(call)

    calls = make_calls(f"setup{time.monotonic_ns()}", total, SETUP_ONLY, 0.0)
    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in calls))
    return total / (time.perf_counter() - start)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workdir: Path) -> dict:
    """A migrated, seeded SQLite database and the environment both sides run with."""
    env = {**os.environ, "HELPLINE_VAR_DIR": str(workdir), "HELPLINE_SECRET_KEY": "bench",
           "HELPLINE_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
           "HELPLINE_RECORDINGS_DIR": str(workdir / "recordings"),
           "HELPLINE_PROMPTS_DIR": str(workdir / "prompts"), "PYTHONPATH": str(ROOT),
           "HELPLINE_IVR_SPEECH": "off"}  # the protocol and flow are measured, not Vosk
    from models.core import db
    from models.core.migrate import upgrade
    from models.seed.reference import seed_reference

    upgrade(env["HELPLINE_DATABASE_URL"])
    db.configure_engine(env["HELPLINE_DATABASE_URL"])
    with db.unit_of_work() as uow:
        seed_reference(session=uow.session)
        uow.commit()
    return env


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


@contextlib.asynccontextmanager
async def fastagi_server(env: dict, workdir: Path):
    """A fresh `helpline ivr` process (so its RSS growth is this level's alone), warmed up."""
    port, stats = free_port(), workdir / "turnaround.json"
    server = subprocess.Popen([sys.executable, "-m", "scripts.cli", "ivr"], cwd=ROOT,
                              env={**env, "HELPLINE_AGI_PORT": str(port),
                                   "HELPLINE_AGI_STATS_FILE": str(stats)},
                              stdout=subprocess.DEVNULL, stderr=open(workdir / "server.log", "a"))
    try:
        await wait_for_port(port)
        await fastagi_level(port, server.pid, WARM_UP, 0.01, "warm", stats)  # imports, pools, caches
        yield port, server.pid, stats
    finally:
        server.terminate()
        server.wait(10)


async def bench(args) -> tuple[list[Level], dict]:
    workdir = Path(tempfile.mkdtemp(prefix="agi-bench-"))
    env = prepare(workdir)
    levels: list[Level] = []
    for n in args.levels:
        runs = []
        for r in range(args.repeat):
            async with fastagi_server(env, workdir) as (port, pid, stats):
                runs.append(await fastagi_level(port, pid, n, args.think, f"r{r}x", stats))
        levels.append(median_level(runs))
        print(levels[-1], flush=True)
    for n in args.baseline_levels:
        levels.append(median_level([await per_call_level(env, n, args.think, f"r{r}x")
                                    for r in range(args.repeat)]))
        print(levels[-1], flush=True)
    async with fastagi_server(env, workdir) as (port, pid, stats):
        fast_rate = statistics.median([await setup_rate(
            lambda c: c.run("127.0.0.1", port), args.setup_calls, 100) for _ in range(args.repeat)])
    rates = {
        "FastAGI": fast_rate,
        "per-call AGI": statistics.median([await setup_rate(
            lambda c: per_call(c, env, set()), args.baseline_setup_calls, os.cpu_count() or 2)
            for _ in range(args.repeat)]),
    }
    print(rates, flush=True)
    return levels, rates


def machine() -> list[str]:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:10]
    return [f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            f"- `nproc`: {os.cpu_count()}", f"- python: {platform.python_version()}",
            "- `lscpu | head`:", "", "```", *lscpu, "```"]


def report(levels: list[Level], rates: dict, args) -> str:
    fast = {lv.n: lv for lv in levels if lv.kind == "FastAGI"}
    base = {lv.n: lv for lv in levels if lv.kind != "FastAGI"}
    rows = ["| calls at once | kind | completed | calls/s (bound by think time) | added turnaround p50 / p99 ms (server) "
            "| turnaround p50 / p99 ms (seen by Asterisk side) | setup p50 ms | MiB per call |",
            "|---|---|---|---|---|---|---|---|"]
    for lv in levels:
        inside = (f"{lv.server_p50_ms:.3f} / {lv.server_p99_ms:.3f}" if lv.server_p50_ms is not None
                  else "n/a")
        rows.append(f"| {lv.n} | {lv.kind} | {lv.completed}/{lv.n} | {lv.calls_per_s:.1f} | {inside} | "
                    f"{lv.p50_ms:.2f} / {lv.p99_ms:.2f} | {lv.setup_p50_ms:.1f} | {lv.mib_per_call:.3f} |")
    ratio = rates["FastAGI"] / rates["per-call AGI"]
    common = sorted(set(fast) & set(base))
    lines = [
        "## FastAGI server", "",
        "`scripts/bench/agi_load.py` drives simulated Asterisk calls (headers, then command/reply "
        f"turns; {args.think * 1000:.0f} ms ± {JITTER:.0%} per media turn standing in for a prompt and "
        f"the caller's keys, {RECORD_S:.0f} s for the recording, none for ANSWER or SET VARIABLE; "
        f"calls arriving over {args.think:.0f} s) through the "
        "real new-complaint flow (language, menu, district 27, RECORD FILE, draft complaint, "
        "queue) against one `helpline ivr` process on SQLite, and the same flow run as a "
        "process-per-call pyst2 AGI script (`ivr/per_call_agi.py`) in the same run. "
        f"Each figure is the median of {args.repeat} runs. "
        "Turnaround = from Asterisk's reply to the server's next command (setup turn excluded; "
        "setup = headers to first command). Memory = RSS at peak minus idle of a fresh, warmed-up "
        "server for each run, over N "
        "(per-call: total RSS of the live AGI processes at peak, over N).", "",
        *machine(), "", *rows, "",
        f"Call-setup rate (answer, first prompt, hang-up; {args.setup_calls} calls, 100 at a time): "
        f"FastAGI {rates['FastAGI']:.0f} calls/s; per-call AGI {rates['per-call AGI']:.1f} calls/s "
        f"({args.baseline_setup_calls} calls, {os.cpu_count()} at a time): **{ratio:.0f}×**.", "",
    ]
    for n in common:
        lines.append(f"- at {n} calls: memory per call {base[n].mib_per_call / max(fast[n].mib_per_call, 1e-3):.0f}× "
                     f"less, setup {base[n].setup_p50_ms / max(fast[n].setup_p50_ms, 1e-3):.0f}× faster with FastAGI.")
    top = fast.get(max(fast)) if fast else None
    if top:
        verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
        lines += ["", f"Goals at {top.n} concurrent calls: p99 added turnaround ≤ 5 ms — "
                  f"{verdict((top.server_p99_ms or 0) <= 5)} ({top.server_p99_ms:.3f} ms inside the "
                  f"server; {top.p99_ms:.2f} ms as the load generator sees it); ≤ 0.5 MiB per call — "
                  f"{verdict(top.mib_per_call <= 0.5)} ({top.mib_per_call:.3f} MiB); all calls completed — "
                  f"{verdict(top.completed == top.n)}; setup rate ≥ 50× per-call — {verdict(ratio >= 50)} "
                  f"({ratio:.0f}×).", ""]
    return "\n".join(lines + NOTES)


NOTES = [
    "Notes: the per-call script is not run with 500 calls at once: at about 51 MiB a process that "
    "is some 25 GiB, more than this machine has. The server's own figures run from a reply being "
    "read to the next command being written; the load generator's add both processes' "
    "scheduling on 2 shared cores. In a harsher run (0.5 s per media turn, not in the table) the "
    "load generator saw a p99 of 40–200 ms at 500 calls while the server's stayed near 0.1 ms: "
    "the cores were saturated, mostly by the call journal's ORM work (about 0.3 ms per step "
    "through `models.calls.service.record_step`; a bulk insert measured 0.02 ms per step).", "",
]


def write_section(path: Path, section: str) -> None:
    """Replace (or append) the "## FastAGI server" section, leaving the rest of the file alone."""
    text = path.read_text() if path.exists() else "# Performance\n\n"
    start = text.find("## FastAGI server")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 3)
        text = text[:start] + section.rstrip("\n") + "\n\n" + (text[end + 1:] if end != -1 else "")
    path.write_text(text.rstrip("\n") + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100, 500])
    parser.add_argument("--baseline-levels", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100])
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds Asterisk takes per turn (a short prompt; real ones run 2-10 s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per level; medians are reported")
    parser.add_argument("--setup-calls", type=int, default=1000)
    parser.add_argument("--baseline-setup-calls", type=int, default=20)
    parser.add_argument("--write", type=Path, help="update this PERFORMANCE.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server we started, too
    levels, rates = asyncio.run(bench(args))
    section = report(levels, rates, args)
    print(section)
    if args.write:
        write_section(args.write, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
