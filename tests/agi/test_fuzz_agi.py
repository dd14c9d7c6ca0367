"""AGI protocol fuzzing against the running helpline FastAGI server (`helpline ivr`, a process of
its own on a free port): 10,000 hostile calls — header blocks gone wrong, replies out of protocol,
connections dropped at any byte — and slow peers. The server never crashes, never logs a
traceback, ends every call within its limits, leaves a finished call record wherever the headers
got it one, keeps its memory, and serves a good call right after. (issue 16: calls)"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from agi_fuzz import Case, Played, cases, play
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ivr.agi.simulator import SimulatedCall
from models.calls.call import Call
from models.core.db import new_session
from tests.e2e.conftest import free_port, wait_for

# The slow peers' server cuts them soon; the fuzzed calls' server has room for a loaded machine
# (no fuzzed call waits on a limit: each ends when its bytes do).
LIMITS = {"HELPLINE_AGI_HEADERS_LIMIT_S": 2, "HELPLINE_AGI_REPLY_LIMIT_S": 2, "HELPLINE_AGI_CALL_LIMIT_S": 5}
FUZZ_LIMITS = {"HELPLINE_AGI_HEADERS_LIMIT_S": 10, "HELPLINE_AGI_REPLY_LIMIT_S": 10, "HELPLINE_AGI_CALL_LIMIT_S": 20}
CALL_LIMIT_S = LIMITS["HELPLINE_AGI_CALL_LIMIT_S"]
AT_ONCE = 8        # hostile calls in flight together
BATCHES = 1250     # hypothesis examples: AT_ONCE × BATCHES = 10,000 cases
RSS_GROWTH_MAX_KB = 64 * 1024
_ids = itertools.count(1)


class IvrProcess:
    """`helpline ivr` in its own process; its log is read as it comes (tracebacks counted)."""

    def __init__(self, database_url: str, folder: Path, limits: dict[str, int]):
        self.port = free_port()
        env = {**os.environ, "HELPLINE_DATABASE_URL": database_url, "HELPLINE_AGI_PORT": str(self.port),
               "HELPLINE_IVR_SPEECH": "off", "HELPLINE_VAR_DIR": str(folder),
               "HELPLINE_SECRET_KEY": "test-only", **{k: str(v) for k, v in limits.items()}}
        self.process = subprocess.Popen([str(Path(sys.executable).parent / "helpline"), "ivr"], env=env,
                                        stderr=subprocess.PIPE, text=True, errors="replace")
        self.log: list[str] = []
        self.listening = threading.Event()
        threading.Thread(target=self._read_log, daemon=True).start()
        assert self.listening.wait(60), "helpline ivr did not start:\n" + "".join(self.log[-20:])

    def _read_log(self) -> None:
        for line in self.process.stderr:
            if "FastAGI listening" in line:
                self.listening.set()
            if "Traceback" in line or " ERROR " in line:
                self.log.append(line)
            if len(self.log) > 200:
                del self.log[:100]

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def ivr_process(ivr_database_url, tmp_path_factory):
    server = IvrProcess(ivr_database_url, tmp_path_factory.mktemp("slow-var"), LIMITS)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fuzzed_ivr(ivr_database_url, tmp_path_factory):
    server = IvrProcess(ivr_database_url, tmp_path_factory.mktemp("fuzz-var"), FUZZ_LIMITS)
    yield server
    server.stop()


def good_call(port: int) -> SimulatedCall:
    """A whole new complaint (Hindi, menu 1, district 27, speech) on the server."""
    n = next(_ids)
    call = SimulatedCall(uniqueid=f"1788{n:06d}.{n}", caller="9826011000", inputs=["1", "1", "2", "7"])
    return asyncio.run(asyncio.wait_for(call.run("127.0.0.1", port), 30))


def ended_uniqueids() -> set[str]:
    with new_session() as session:
        return set(session.scalars(select(Call.uniqueid).where(Call.ended_at.is_not(None))))


@pytest.mark.slow
def test_ten_thousand_hostile_calls(fuzzed_ivr, ivr_db):
    port = fuzzed_ivr.port
    first = good_call(port)
    assert first.variables.get("HELPLINE_NEXT") == "queue"
    rss_before = fuzzed_ivr.rss_kb()
    played: list[Played] = []

    @settings(max_examples=BATCHES, deadline=None, derandomize=True, database=None,
              phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(st.lists(cases, min_size=AT_ONCE, max_size=AT_ONCE))
    def batch(hostile: list[Case]) -> None:
        async def all_at_once():
            return await asyncio.gather(*(
                play(case, "127.0.0.1", port, f"1777{n:07d}.{n}",
                     FUZZ_LIMITS["HELPLINE_AGI_CALL_LIMIT_S"] + 5)
                for case, n in zip(hostile, (next(_ids) for _ in hostile))))

        results = asyncio.run(all_at_once())
        played.extend(results)
        assert fuzzed_ivr.process.poll() is None, "the FastAGI server died"
        late = [(repr(c)[:300], p.seconds) for c, p in zip(hostile, results) if not p.closed_by_server]
        assert not late, f"calls not ended within the call limit: {late[:3]}"

    batch()
    after = good_call(port)
    rss_after = fuzzed_ivr.rss_kb()
    assert after.variables.get("HELPLINE_NEXT") == "queue" and after.variables.get("__HELPLINE_DRAFT")
    # The journal stores in order: once the good call's record has its end, every earlier one is in.
    assert wait_for(lambda: after.headers["agi_uniqueid"] in ended_uniqueids(), timeout=30)
    expected = {p.uniqueid for p in played if p.leaves_a_record}
    missing = expected - ended_uniqueids()
    sent = sum(p.sent for p in played)
    print(f"\nAGI fuzz: {len(played)} calls, {sent} bytes sent, {len(expected)} call records expected, "
          f"slowest {max(p.seconds for p in played):.2f} s, server RSS {rss_before} -> {rss_after} kB")
    assert not fuzzed_ivr.log, "".join(fuzzed_ivr.log[-20:])
    assert not missing, f"{len(missing)} calls left no finished record, e.g. {sorted(missing)[:3]}"
    assert rss_after - rss_before < RSS_GROWTH_MAX_KB, (rss_before, rss_after)
    assert len(played) == AT_ONCE * BATCHES >= 10_000


async def _dribble(port: int, head: bytes, slow: bytes, every_s: float) -> float:
    """Send `head`, then `slow` a piece at a time, `every_s` apart, until the server closes;
    the seconds that took."""
    started = asyncio.get_running_loop().time()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head)
    sending = asyncio.ensure_future(_trickle(writer, slow, every_s))
    try:
        while await reader.read(65536):  # the server's commands, until it closes
            pass
    except OSError:
        pass
    finally:
        sending.cancel()
        writer.close()
    return asyncio.get_running_loop().time() - started


async def _trickle(writer: asyncio.StreamWriter, slow: bytes, every_s: float) -> None:
    with contextlib.suppress(OSError):
        for piece in itertools.cycle([slow[i:i + 1] for i in range(len(slow))] or [b""]):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(every_s)


@pytest.mark.slow
def test_slow_peers_are_cut_at_the_limits_without_holding_others(ivr_process, ivr_db):
    """A byte a second in the headers or in a reply, no reply at all, endless "100 Trying" lines,
    and a caller who answers every prompt slowly but never ends: each is cut at its limit
    (headers 2 s, reply 2 s, call 5 s), while a good call is served in the meantime."""
    port = ivr_process.port
    uids = {name: f"1766{n:06d}.{n}" for n, name in enumerate(["reply", "silent", "trying", "endless"], 1)}

    def head(name: str) -> bytes:
        return Case().header_block(uids[name])

    async def scenario():
        slow = [
            _dribble(port, b"", head("reply"), 1.0),                              # headers
            _dribble(port, head("reply"), b"200 result=0\n", 1.0),                # one reply
            _dribble(port, head("silent"), b"", 1.0),                             # no reply
            _dribble(port, head("trying"), b"100 result=0 Trying...\n", 0.5),     # never done
        ]
        endless = SimulatedCall(uniqueid=uids["endless"], inputs=[], think_s=1.0)
        held = [asyncio.ensure_future(c) for c in [*slow, endless.run("127.0.0.1", port)]]
        good = await asyncio.to_thread(good_call, port)
        still_held = sum(not h.done() for h in held)
        return good, still_held, await asyncio.gather(*held)

    good, still_held, results = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert good.variables.get("HELPLINE_NEXT") == "queue", "the good call was served meanwhile"
    assert still_held == 5, "the slow peers were still connected when the good call ended"
    seconds, endless = results[:4], results[4]
    limits = [LIMITS["HELPLINE_AGI_HEADERS_LIMIT_S"]] + [LIMITS["HELPLINE_AGI_REPLY_LIMIT_S"]] * 3
    assert all(s < limit + 1.5 for s, limit in zip(seconds, limits)), seconds
    assert endless.closed_by_server and endless.ended_at - endless.started_at < CALL_LIMIT_S + 1.5
    after = good_call(port)
    assert wait_for(lambda: after.headers["agi_uniqueid"] in ended_uniqueids(), timeout=30)
    with new_session() as session:
        records = {c.uniqueid: c for c in session.scalars(select(Call).where(Call.uniqueid.in_(uids.values())))}
        assert all(records[u].ended_at for u in uids.values()), "each slow call's record has its end"
        assert records[uids["endless"]].disposition == "cut_off"
    assert not ivr_process.log, "".join(ivr_process.log[-20:])
