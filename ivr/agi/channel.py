"""One FastAGI call over a TCP stream: headers in, command/reply turns out."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from ivr.agi.commands import AgiCommands
from ivr.agi.errors import AgiError, AgiHangup, AgiTimeout
from ivr.agi.reply import AgiResult, parse_reply, reply_is_complete
from ivr.agi.stats import STATS

log = logging.getLogger(__name__)

MAX_HEADER_LINES = 128
MAX_HEADER_BYTES = 64 * 1024   # Asterisk's header block is about 1 KB
MAX_REPLY_LINES = 256
MAX_REPLY_BYTES = 256 * 1024   # a 520 usage text is a few KB


async def _line(reader: asyncio.StreamReader, what: str) -> bytes:
    """One line; a line longer than the stream's buffer is an AgiError naming `what`."""
    try:
        return await reader.readline()
    except ValueError as exc:  # asyncio's LimitOverrunError, re-raised by readline
        raise AgiError(f"{what}: a line longer than the server reads") from exc


async def read_headers(reader: asyncio.StreamReader) -> dict[str, str]:
    """The `agi_*: value` lines Asterisk sends first, up to the blank line."""
    headers: dict[str, str] = {}
    size = 0
    for _ in range(MAX_HEADER_LINES):
        raw = await _line(reader, "headers")
        if not raw:
            raise AgiHangup("connection closed during the headers")
        size += len(raw)
        if size > MAX_HEADER_BYTES:
            raise AgiError(f"header block over {MAX_HEADER_BYTES} bytes")
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            return headers
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip()] = value.strip()
    raise AgiError("too many header lines")


class AgiChannel(AgiCommands):
    """A call's AGI session on a socket; one command in flight at a time."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        headers: Mapping[str, str],
        *,
        reply_s: float | None = None,
    ):
        self.reader = reader
        self.writer = writer
        self.headers = dict(headers)
        self.reply_s = reply_s  # how long a reply may take; None: no limit
        self.hung_up = False
        self._replied_at: float | None = None
        self._created_at = time.perf_counter()

    async def command(self, line: str) -> AgiResult:
        if self.hung_up:
            raise AgiHangup(f"not sent after hang-up: {line}")
        log.debug("%s > %s", self.uniqueid, line)
        now = time.perf_counter()
        if self._replied_at is None:
            STATS.setup(now - self._created_at)
        else:
            STATS.turn(now - self._replied_at)
        try:
            self.writer.write(line.encode("utf-8") + b"\n")
            await self.writer.drain()
            async with asyncio.timeout(self.reply_s):
                lines = await self._read_reply()
        except ConnectionError as exc:
            self.hung_up = True
            raise AgiHangup(f"connection lost at {line.split(' ', 2)[:2]} ({exc!r})") from exc
        except TimeoutError as exc:
            self.hung_up = True
            raise AgiTimeout(f"no reply to {line.split(' ', 2)[:2]} within {self.reply_s:.0f} s") from exc
        self._replied_at = time.perf_counter()
        log.debug("%s < %s", self.uniqueid, " | ".join(lines))
        try:
            return parse_reply(lines)
        except AgiHangup:
            self.hung_up = True
            raise

    async def _read_reply(self) -> list[str]:
        lines: list[str] = []
        size = 0
        while len(lines) < MAX_REPLY_LINES and size <= MAX_REPLY_BYTES:
            raw = await _line(self.reader, "reply")
            if not raw:
                return lines  # parse_reply names the closed connection a hang-up
            size += len(raw)
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not lines and line.startswith("100 "):
                continue  # "100 result=0 Trying..." comes before the real reply
            lines.append(line)
            if line.strip() == "HANGUP" or reply_is_complete(lines):
                return lines
        raise AgiError("reply too long", tuple(lines))
