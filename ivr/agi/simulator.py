"""The Asterisk side of a FastAGI call, simulated: headers, then replies like res_agi's.

A caller is a queue of inputs: keys ('0'-'9', '*', '#'), "~k" (key k pressed only once
the prompt has finished, never during playback), "timeout" (one prompt left unanswered)
and "hangup" (at the next command that listens for the caller). Tests and scripts/bench/agi_load.py drive the real server with it.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import random
import shlex
import time
import wave
from collections import deque
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

KEYS = set("0123456789*#")
MEDIA = ("STREAM FILE", "GET DATA", "WAIT FOR DIGIT", "EXEC")
DEAD = "511 Command Not Permitted on a dead channel or intercept routine"


def agi_headers(*, script: str, uniqueid: str, caller: str, language: str = "en") -> dict[str, str]:
    """The header block Asterisk 22 sends for agi://host/script."""
    return {
        "agi_network": "yes",
        "agi_network_script": script,
        "agi_request": f"agi://127.0.0.1:4573/{script}",
        "agi_channel": f"PJSIP/trunk-{uniqueid.replace('.', '')}",
        "agi_language": language,
        "agi_type": "PJSIP",
        "agi_uniqueid": uniqueid,
        "agi_version": "22.5.2",
        "agi_callerid": caller,
        "agi_calleridname": "unknown",
        "agi_context": "helpline-inbound",
        "agi_extension": "1100",
        "agi_priority": "3",
        "agi_enhanced": "0.0",
    }


def silent_wav(seconds: float = 1.0) -> bytes:
    """A small 8 kHz mono 16-bit WAV, as RECORD FILE would leave."""
    return wav_bytes(_frames(seconds, voiced=False))


@functools.lru_cache(maxsize=8)
def _frames(seconds: float, *, voiced: bool) -> bytes:
    """16-bit samples: a caller's voice (a loud 250 Hz square wave) or a quiet line. Made once:
    building a second of them takes milliseconds, which would stall every other simulated call."""
    count = int(8000 * seconds)
    if not voiced:
        return b"\x01\x00" * count
    loud, quiet = (3000).to_bytes(2, "little", signed=True), (-3000).to_bytes(2, "little", signed=True)
    return b"".join(loud if (i // 16) % 2 == 0 else quiet for i in range(count))


def wav_bytes(frames: bytes) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(frames)
    return buf.getvalue()


class SimulatedCall:
    """One call as Asterisk would run it; `commands` keeps what the server sent."""

    def __init__(
        self,
        *,
        uniqueid: str,
        caller: str = "9876543210",
        script: str = "ivr",
        inputs: Iterable[str] = (),
        variables: dict[str, str] | None = None,
        think_s: float = 0.0,
        record_s: float | None = None,
        jitter: float = 0.0,
        write_recordings: bool = True,
        silent_pieces: int = 0,
    ):
        self.headers = agi_headers(script=script, uniqueid=uniqueid, caller=caller)
        self.inputs = deque(inputs)
        self.variables = dict(variables or {})
        self.think_s = think_s  # a media turn's time (a prompt playing, keys pressed)
        self.record_s = think_s if record_s is None else record_s  # the caller speaking
        self.jitter = jitter  # each pause varies by ± this fraction, as real calls do
        self.write_recordings = write_recordings
        self.silent_pieces = silent_pieces  # RECORD FILEs that hear only the line before the caller speaks
        self.commands: list[str] = []
        self.turnarounds: list[float] = []  # seconds from our reply to the server's next command
        self.dead = False
        self.told_hangup = False
        self.closed_by_server = False
        self.started_at = self.ended_at = 0.0

    async def run(self, host: str, port: int) -> "SimulatedCall":
        """The call over FastAGI: connect to the server and converse."""
        reader, writer = await asyncio.open_connection(host, port)
        return await self.converse(reader, writer)

    async def converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> "SimulatedCall":
        """Headers, then reply to each command until the other side closes (any byte stream)."""
        self.started_at = time.perf_counter()
        try:
            head = "".join(f"{k}: {v}\n" for k, v in self.headers.items()) + "\n"
            writer.write(head.encode())
            await writer.drain()
            replied_at = time.perf_counter()
            while raw := await reader.readline():
                self.turnarounds.append(time.perf_counter() - replied_at)
                command = raw.decode().rstrip("\n")
                self.commands.append(command)
                pause = self._pause(command)
                if pause:
                    await asyncio.sleep(pause * random.uniform(1 - self.jitter, 1 + self.jitter))
                reply = self.respond(command)
                writer.write(("\n".join(reply) + "\n").encode())
                await writer.drain()
                replied_at = time.perf_counter()
            self.closed_by_server = True
        except ConnectionError:
            self.closed_by_server = True
        finally:
            self.ended_at = time.perf_counter()
            writer.close()
            try:
                await writer.wait_closed()
            except ConnectionError:
                pass
        return self

    def _pause(self, command: str) -> float:
        """Media commands take the caller's time; ANSWER, SET VARIABLE and the like none."""
        if command.startswith("RECORD FILE"):
            return self.record_s
        return self.think_s if command.startswith(MEDIA) else 0.0

    def played(self) -> list[str]:
        """The file names of every prompt the server played, in order."""
        names = []
        for command in self.commands:
            words = shlex.split(command)
            if words[:2] in (["STREAM", "FILE"], ["GET", "DATA"]):
                names.append(words[2])
        return names

    def respond(self, command: str) -> list[str]:
        """Asterisk's reply lines to one command."""
        if self.dead:
            told, self.told_hangup = self.told_hangup, True
            return [DEAD] if told else ["HANGUP", DEAD]  # as Asterisk 22 does
        words = shlex.split(command)
        verb = " ".join(words[:2]).upper()
        listening = verb in {"GET DATA", "WAIT FOR", "RECORD FILE"} or (
            verb == "STREAM FILE" and len(words) > 3 and words[3] != "")
        if self.inputs and self.inputs[0] == "hangup" and listening:
            self.inputs.popleft()
            self.dead = True
            if verb == "RECORD FILE":
                return [f"200 result=-1 (hangup) endpos={self._write_recording(words)}"]
            return ["200 result=-1"]
        handler = getattr(self, "_" + verb.lower().replace(" ", "_"), None)
        if handler is None:
            handler = {"ANSWER": self._answer, "EXEC": self._exec, "VERBOSE": self._verbose,
                       "HANGUP": self._hangup}.get(words[0].upper())
        if handler is None:
            return ["510 Invalid or unknown command"]
        return [handler(words)]

    def _next_key(self, allowed: str | set[str], *, playing: bool = False) -> str | None:
        head = self.inputs[0] if self.inputs else ""
        if head.startswith("~") and not playing:
            head = head[1:]
        if head and len(head) == 1 and head in allowed:
            self.inputs.popleft()
            return head
        return None

    def _answer(self, words: list[str]) -> str:
        return "200 result=0"

    def _stream_file(self, words: list[str]) -> str:
        key = self._next_key(words[3], playing=True) if len(words) > 3 and words[3] else None
        return f"200 result={ord(key) if key else 0} endpos=8000"

    def _get_data(self, words: list[str]) -> str:
        max_digits = int(words[4]) if len(words) > 4 else 1024
        if self.inputs and self.inputs[0] == "timeout":
            self.inputs.popleft()
            return "200 result= (timeout)"
        digits = ""
        while len(digits) < max_digits and (key := self._next_key(KEYS)):
            if key == "#":
                return f"200 result={digits}"
            digits += key
        return f"200 result={digits}" if len(digits) == max_digits else f"200 result={digits} (timeout)"

    def _wait_for(self, words: list[str]) -> str:
        key = self._next_key(KEYS)
        if key is None and self.inputs and self.inputs[0] == "timeout":
            self.inputs.popleft()
        return f"200 result={ord(key) if key else 0}"

    def _record_file(self, words: list[str]) -> str:
        endpos = self._write_recording(words)
        key = self._next_key(words[4])
        if key:
            return f"200 result={ord(key)} (dtmf) endpos={endpos}"
        if self.inputs and self.inputs[0] == "timeout":
            self.inputs.popleft()
        return f"200 result=0 (timeout) endpos={endpos}"

    def _write_recording(self, words: list[str]) -> int:
        """A second of the line (silence for the first `silent_pieces` recordings, then the
        caller's voice), appended at the offset when one is given, as Asterisk does; the endpos."""
        offset = int(words[6]) if len(words) > 6 and words[6].isdigit() else 0
        voiced = self.silent_pieces <= 0
        self.silent_pieces -= 1
        path = Path(f"{words[2]}.{words[3]}")
        before = b""
        if offset and path.exists():
            with wave.open(str(path)) as w:
                before = w.readframes(min(offset, w.getnframes()))
        frames = before + _frames(1.0, voiced=voiced)
        if self.write_recordings:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(wav_bytes(frames))
        return len(frames) // 2

    def _set_variable(self, words: list[str]) -> str:
        self.variables[words[2]] = words[3] if len(words) > 3 else ""
        return "200 result=1"

    def _get_variable(self, words: list[str]) -> str:
        value = self.variables.get(words[2])
        return "200 result=0" if value is None else f"200 result=1 ({value})"

    def _exec(self, words: list[str]) -> str:
        return "200 result=0"

    def _verbose(self, words: list[str]) -> str:
        return "200 result=1"

    def _hangup(self, words: list[str]) -> str:
        self.dead = True
        return "200 result=1"
