"""Hostile FastAGI peers for the fuzz tests: hypothesis strategies for a call's bytes, and a
client that plays one over TCP (Asterisk's side of the protocol, gone wrong).

A case is a header block (keys dropped, values replaced by huge or non-UTF-8 bytes, lines with
no colon, no blank line at the end), then up to `turns` replies from the AGI simulator with one
reply out of protocol at `bad_at`, the whole stream cut after `cut_at` bytes (a close or a
reset), and then the write side closed: the server must end the call by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

from hypothesis import strategies as st

from ivr.agi.simulator import SimulatedCall, agi_headers

ROUTES = ("ivr", "feedback", "queue-timeout", "callback")
HEADER_KEYS = tuple(agi_headers(script="ivr", uniqueid="1.1", caller="1"))
HUGE = 70_000  # over the server's 64 KB line: a value or reply this long is refused whole

USAGE_520 = (b"520-Invalid command syntax.  Proper usage follows:\n"
             b"Usage: GET DATA <file to be streamed> [timeout] [max digits]\n"
             b"520 End of proper usage.\n")
OUT_OF_PROTOCOL = [
    b"510 Invalid or unknown command\n",
    b"511 Command Not Permitted on a dead channel or intercept routine\n",
    b"520 Invalid command syntax.  Proper usage not available.\n",
    USAGE_520,
    b"520-Invalid command syntax.  Proper usage follows:\n" * 300 + b"520 End\n",  # over 256 lines
    b"200\n", b"200 result\n", b"200 result=\n", b"200 (timeout)\n", b"200 result=12 (unclosed\n",
    b"200 result=-1\n", b"200 result=0 (hangup)\n", b"HANGUP\n", b"HANGUP\n511 dead\n",
    b"100 result=0 Trying...\n" * 50 + b"200 result=0\n",  # (never followed: the slow-peer test)
    b"\n", b"\r\n", b"999 result=0\n", b"2000 result=0\n",
]


@dataclass(frozen=True)
class Case:
    script: str = "ivr"
    dropped: frozenset[str] = frozenset()
    replaced: tuple[tuple[str, bytes], ...] = ()
    extra: tuple[bytes, ...] = ()          # lines after the good ones, with no colon
    terminator: bytes = b"\n"              # b"": the block never ends
    inputs: tuple[str, ...] = ()           # the caller, as the simulator takes it
    turns: int = 4                         # replies before the write side is closed
    bad_at: int | None = None
    bad: bytes = b""
    cut_at: int | None = None              # bytes sent before the connection is dropped
    reset: bool = False                    # dropped with a reset instead of a close

    def header_block(self, uniqueid: str) -> bytes:
        good = agi_headers(script=self.script, uniqueid=uniqueid, caller="9876543210")
        values = {k: v.encode() for k, v in good.items() if k not in self.dropped}
        values.update(dict(self.replaced))
        lines = [k.encode() + b": " + v + b"\n" for k, v in values.items()]
        return b"".join(lines) + b"".join(x + b"\n" for x in self.extra) + self.terminator

    def leaves_a_record(self, uniqueid: str) -> bool:
        """Whether the protocol got far enough for the helpline to open a call record: a whole
        header block, within the server's limits, naming a route and the call's uniqueid."""
        touched = self.dropped | {k for k, _ in self.replaced}
        whole = self.terminator != b"" and (
            self.cut_at is None or self.cut_at >= len(self.header_block(uniqueid)))
        return whole and not touched & {"agi_uniqueid", "agi_network_script"} and not any(
            len(v) >= HUGE for _, v in self.replaced)


def _value() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=40),                                   # anything, non-UTF-8 included
        st.text(max_size=30).map(str.encode),
        st.integers(HUGE, 3 * HUGE).map(lambda n: b"9" * n),      # a huge value
        st.just(b""),
    ).map(lambda b: b.replace(b"\n", b" "))


_line = st.binary(max_size=40).map(lambda b: b.replace(b":", b""))  # a line with no colon


@st.composite
def header_cases(draw) -> Case:
    """The header block gone wrong; then a plain caller."""
    return Case(
        script=draw(st.sampled_from(ROUTES)),
        dropped=frozenset(draw(st.sets(st.sampled_from(HEADER_KEYS), max_size=4))),
        replaced=tuple(draw(st.dictionaries(st.sampled_from(HEADER_KEYS), _value(), max_size=3)).items()),
        extra=tuple(draw(st.lists(_line, max_size=3))),
        terminator=draw(st.sampled_from([b"\n", b"\r\n", b""])),
        inputs=tuple(draw(_inputs)), turns=draw(st.integers(0, 6)))


_inputs = st.lists(st.sampled_from([*"0123456789*#", "timeout", "hangup"]), max_size=8)


@st.composite
def reply_cases(draw) -> Case:
    """A good header block; then one reply out of protocol after `bad_at` good ones."""
    bad = draw(st.one_of(
        st.sampled_from(OUT_OF_PROTOCOL),
        st.binary(min_size=1, max_size=200).map(lambda b: b + b"\n"),  # garbage (a line never
        # ended is a slow peer: test_fuzz_agi's slow-peer test)
        st.integers(HUGE, 4 * HUGE).map(lambda n: b"200 result=1 (" + b"x" * n + b")\n"),
    ))
    bad_at = draw(st.integers(0, 5))
    return Case(script=draw(st.sampled_from(ROUTES)), inputs=tuple(draw(_inputs)), bad_at=bad_at,
                bad=bad, turns=bad_at + draw(st.integers(1, 4)))


@st.composite
def cut_cases(draw) -> Case:
    """A good call whose bytes stop at any offset (headers are about 420 bytes)."""
    return Case(script=draw(st.sampled_from(ROUTES)), inputs=tuple(draw(_inputs)),
                turns=8, cut_at=draw(st.integers(0, 900)), reset=draw(st.booleans()))


cases = st.one_of(header_cases(), reply_cases(), cut_cases())


@dataclass
class Played:
    """What one hostile call did (small: ten thousand of these are kept)."""

    uniqueid: str
    sent: int = 0
    seconds: float = 0.0
    closed_by_server: bool = False
    commands: int = 0
    leaves_a_record: bool = False


class _Budget:
    """Writes until `cut_at` bytes have gone, then drops the connection."""

    def __init__(self, writer: asyncio.StreamWriter, case: Case, played: Played):
        self.writer, self.case, self.played = writer, case, played

    def send(self, data: bytes) -> bool:
        """False once the connection has been dropped."""
        left = None if self.case.cut_at is None else self.case.cut_at - self.played.sent
        if left is not None and left < len(data):
            self.writer.write(data[:max(left, 0)])
            self.played.sent += max(left, 0)
            if self.case.reset:
                self.writer.transport.abort()
            else:
                self.writer.close()
            return False
        self.writer.write(data)
        self.played.sent += len(data)
        return True


async def play(case: Case, host: str, port: int, uniqueid: str, limit_s: float) -> Played:
    """One hostile call; waits (at most `limit_s`) for the server to close it."""
    played = Played(uniqueid, leaves_a_record=case.leaves_a_record(uniqueid))
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    budget = _Budget(writer, case, played)
    caller = SimulatedCall(uniqueid=uniqueid, inputs=case.inputs, write_recordings=False)
    try:
        async with asyncio.timeout(limit_s):
            live = budget.send(case.header_block(uniqueid))
            # With no blank line the server still waits for headers: nothing to answer.
            for turn in range(case.turns if live and case.terminator else 0):
                raw = await reader.readline()
                if not raw:
                    break
                played.commands += 1
                reply = case.bad if turn == case.bad_at else _reply(caller, raw)
                if not budget.send(reply):
                    live = False
                    break
                await writer.drain()
            if live:
                writer.write_eof()
            while await reader.read(65536):
                pass
            played.closed_by_server = True
    except OSError:  # the server reset or closed it first
        played.closed_by_server = True
    except TimeoutError:     # still open after limit_s
        played.closed_by_server = False
    finally:
        played.seconds = time.perf_counter() - started
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
    return played


def _reply(caller: SimulatedCall, raw: bytes) -> bytes:
    try:
        lines = caller.respond(raw.decode("utf-8", "replace").rstrip("\n"))
    except ValueError:  # a command the simulator cannot split (quotes); Asterisk would say 520
        lines = ["520 Invalid command syntax.  Proper usage not available."]
    return ("\n".join(lines) + "\n").encode()
