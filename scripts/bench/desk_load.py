"""The desk under load (issue 15, item 5): simulated agents, each on its own keep-alive connection,
log in and then search by mobile, open complaints and register new ones against `helpline desk`
(waitress, the settings `helpline serve` uses) on PostgreSQL with 1 M complaints; p50 / p95 / p99
per kind of request, beside two baselines in the same run: a static file (waitress and Flask, no
database) and GET /healthz.

    python -m scripts.bench.desk_load --server postgresql+psycopg://user@host:port/postgres \
        [--size 1000000 | --database NAME] [--agents 50] [--seconds 60] [--think 1.0]

Each agent waits `--think` seconds on average (exponential) between requests, as a person at a
desk does; the mix per agent: 40 % search by a citizen's mobile, 35 % open a complaint, 10 %
register (the form, then POST with confirm_new), and the two baselines 7.5 % each. Each agent also
keeps the desk page's event stream open (/agent/events, the screen pops), as a browser does; its
time to the first event is "event stream: hello". The desk runs as its own process (`helpline
desk`: no IVR, no worker, so no job competes for the cores).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import requests
from sqlalchemy import text

from models.complaints.routing import NoOfficerConfigured, route
from models.core.base import utcnow
from models.core.db import Database
from models.people.users import Role, User, add_user
from scripts.bench.data import sample_of, sized_databases
from scripts.serve import DESK_AGENTS, REQUEST_THREADS

GOAL_P95_MS = 100
PASSWORD = "Bench-load-2026!"
KINDS = [("search by mobile", 40), ("open complaint", 35), ("register", 10),
         ("baseline: static file", 7.5), ("baseline: /healthz", 7.5)]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STATIC = "/static/desk.css"


def prepare_agents(url: str, count: int) -> dict:
    """Agents loadagent01… (created once), and samples to ask for: IDs, mobiles and places that route."""
    database = Database(url)
    with database.unit_of_work() as uow:
        s = uow.session
        for n in range(1, count + 1):
            name = f"loadagent{n:02d}"
            if s.query(User).filter_by(username=name).first() is None:
                add_user(session=s, username=name, password=PASSWORD, role=Role.AGENT, full_name=name)
        uow.commit()
    with database.session() as s:
        ids, mobiles = sample_of(s, "public_id", 2000), sample_of(s, "mobile", 2000)
        places = []
        for district, category in s.execute(text(
                "SELECT d.code, c.code FROM districts d CROSS JOIN categories c ORDER BY d.code, c.code")):
            try:
                route(session=s, category_code=category, district_code=district, start=utcnow())
                places.append((district, category))
            except NoOfficerConfigured:
                continue
            if len(places) >= 50:
                break
    database.dispose()
    if not (ids and mobiles and places):
        raise SystemExit("the database has no complaints, or no district and category with an officer")
    return {"ids": ids, "mobiles": mobiles, "places": places}


def start_desk(url: str, port: int, log_path: Path) -> subprocess.Popen:
    """`helpline desk` on 127.0.0.1:`port` over `url`, once /healthz answers."""
    env = {**os.environ, "HELPLINE_DATABASE_URL": url, "HELPLINE_HTTP_HOST": "127.0.0.1",
           "HELPLINE_HTTP_PORT": str(port), "HELPLINE_VAR_DIR": str(log_path.parent),
           "HELPLINE_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    helpline = Path(sys.executable).with_name("helpline")
    process = subprocess.Popen([str(helpline), "desk"], env=env, stdout=log_path.open("w"),
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"helpline desk exited ({process.returncode}); see {log_path}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (200, 503):
                return process
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"helpline desk did not answer within 60 s; see {log_path}")


class Agent(threading.Thread):
    """One agent at a desk: logs in, then one request after another until `deadline`."""

    def __init__(self, n: int, base: str, samples: dict, go: threading.Event, think: float, seed: int,
                 streams: threading.Event | None = None):
        super().__init__(name=f"agent{n}", daemon=True)
        self.n, self.base, self.samples, self.go, self.think = n, base, samples, go, think
        self.streams = streams  # set when the streams are to close; None: no event stream
        self.deadline = 0.0  # set before `go`
        self.logged_in = threading.Event()
        self.rng = random.Random(seed * 1000 + n)
        self.http = requests.Session()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    def timed(self, kind: str, method: str, path: str, ok=(200,), **kwargs) -> requests.Response:
        start = time.perf_counter()
        response = self.http.request(method, self.base + path, allow_redirects=False, timeout=30, **kwargs)
        self.times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        if response.status_code not in ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            what = f"{kind}: HTTP {response.status_code}"
            self.errors[what] = self.errors.get(what, 0) + 1
        return response

    def login(self) -> None:
        page = self.timed("login form", "GET", "/login")
        token = CSRF.search(page.text).group(1)
        self.timed("login (argon2)", "POST", "/login", ok=(302,),
                   data={"csrf_token": token, "username": f"loadagent{self.n:02d}", "password": PASSWORD})

    def listen(self, stop: threading.Event) -> None:
        """The desk page's event stream (/agent/events, for screen pops), open until `stop`."""
        http = requests.Session()
        http.cookies.update(self.http.cookies)
        start = time.perf_counter()
        try:
            with http.get(self.base + "/agent/events", stream=True, timeout=(30, 60)) as response:
                for line in response.iter_lines():
                    if line.startswith(b"event: hello"):
                        self.times.setdefault("event stream: hello", []).append((time.perf_counter() - start) * 1000)
                    if stop.is_set():
                        break
        except requests.RequestException as exc:
            if not stop.is_set():
                what = f"event stream: {type(exc).__name__}"
                self.errors[what] = self.errors.get(what, 0) + 1

    def register(self) -> None:
        form = self.timed("registration form", "GET", "/agent/register")
        token = CSRF.search(form.text).group(1)
        district, category = self.rng.choice(self.samples["places"])
        mobile = f"9{self.rng.randint(0, 999_999_999):09d}"
        self.timed("register (POST)", "POST", "/agent/register", ok=(302,), data={
            "csrf_token": token, "citizen_name": "भार परीक्षण", "mobile": mobile, "district_code": district,
            "category": category, "description": "हैंडपंप खराब है, भार परीक्षण", "language": "hi",
            "address": "", "block": "", "confirm_new": "1"})

    def run(self) -> None:
        try:
            try:
                self.login()
                if self.streams is not None:
                    threading.Thread(target=self.listen, args=(self.streams,), daemon=True).start()
            finally:
                self.logged_in.set()
            self.go.wait()
            kinds, weights = zip(*KINDS)
            while time.monotonic() < self.deadline:
                time.sleep(self.rng.expovariate(1 / self.think) if self.think else 0)
                kind = self.rng.choices(kinds, weights)[0]
                if kind == "search by mobile":
                    self.timed(kind, "GET", "/agent/search", params={"mobile": self.rng.choice(self.samples["mobiles"])})
                elif kind == "open complaint":
                    self.timed(kind, "GET", f"/agent/complaints/{self.rng.choice(self.samples['ids'])}")
                elif kind == "register":
                    self.register()
                elif kind == "baseline: static file":
                    self.timed(kind, "GET", STATIC)
                else:
                    self.timed(kind, "GET", "/healthz")
        except Exception as exc:  # reported in the figures, never silently
            self.errors[f"agent stopped: {type(exc).__name__}: {exc}"] = 1


def percentile(sorted_ms: list[float], share: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * share))]


def run_load(base: str, samples: dict, agents: int, seconds: float, think: float, seed: int = 7,
             streams: bool = True) -> dict:
    """Every kind of request -> {"n", "p50", "p95", "p99", "errors"}; plus "_requests_per_s" (after
    the logins) and "_other_errors"."""
    go, closing = threading.Event(), threading.Event()
    crowd = [Agent(n, base, samples, go, think, seed, closing if streams else None) for n in range(1, agents + 1)]
    for agent in crowd:  # every agent logs in first; the clock starts when all have
        agent.start()
    for agent in crowd:
        agent.logged_in.wait(120)
    started = time.monotonic()
    for agent in crowd:
        agent.deadline = started + seconds
    go.set()
    for agent in crowd:
        agent.join(seconds + 120)
    elapsed = time.monotonic() - started
    closing.set()  # the streams end at their next keep-alive; their threads are daemons
    merged: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for agent in crowd:
        for kind, times in agent.times.items():
            merged.setdefault(kind, []).extend(times)
        for kind, n in agent.errors.items():
            errors[kind] = errors.get(kind, 0) + n
    figures = {}
    for kind, times in sorted(merged.items()):
        times.sort()
        figures[kind] = {"n": len(times), "p50": statistics.median(times), "p95": percentile(times, 0.95),
                         "p99": percentile(times, 0.99), "errors": errors.pop(kind, 0)}
    logins = sum(len(merged.get(kind, ())) for kind in ("login form", "login (argon2)"))
    figures["_requests_per_s"] = (sum(len(t) for t in merged.values()) - logins) / elapsed
    figures["_other_errors"] = errors
    return figures


def print_load(figures: dict, agents: int) -> None:
    print(f"\n{agents} agents, {figures['_requests_per_s']:.1f} requests/s, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'request':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'p95 goal':>9}")
    for kind, f in figures.items():
        if kind.startswith("_"):
            continue
        goal = "" if kind.startswith(("baseline", "login", "event stream")) else ("met" if f["p95"] <= GOAL_P95_MS else "MISSED")
        print(f"{kind:28} {f['n']:6d} {f['p50']:8.1f} {f['p95']:8.1f} {f['p99']:8.1f} {f['errors']:7d} {goal:>9}")
    for what, n in figures["_other_errors"].items():
        print(f"{what} ({n}×)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="postgresql+psycopg://… (any database on the server)")
    parser.add_argument("--size", type=int, default=1_000_000, help="complaints to generate first")
    parser.add_argument("--database", help="use this database as it is (filled already) instead")
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between an agent's requests")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--no-streams", action="store_true", help="agents without the desk's event stream")
    args = parser.parse_args(argv)
    for size, url in sized_databases(args.server, str(args.size), args.database, name="helpline_bench_desk"):
        samples = prepare_agents(url, args.agents)
        with tempfile.TemporaryDirectory(prefix="desk-load-") as var:
            desk = start_desk(url, args.port, Path(var) / "desk.log")
            try:
                print(f"{size:,} complaints; helpline desk (waitress: threads={DESK_AGENTS + REQUEST_THREADS}, "
                      f"connection_limit={3 * DESK_AGENTS + 50}, channel_timeout=120) on 127.0.0.1:{args.port}; "
                      f"think time {args.think} s; event streams {'off' if args.no_streams else 'on'}")
                print_load(run_load(f"http://127.0.0.1:{args.port}", samples, args.agents, args.seconds,
                                    args.think, streams=not args.no_streams), args.agents)
            finally:
                desk.terminate()
                desk.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
