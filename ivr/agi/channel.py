"""One FastAGI call over a TCP stream: headers in, command/reply turns out."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from ivr.agi.commands import AgiCommands
from ivr.agi.errors import AgiError, AgiHangup
from ivr.agi.reply import AgiResult, parse_reply, reply_is_complete
from ivr.agi.stats import STATS

log = logging.getLogger(__name__)

MAX_HEADER_LINES = 128
MAX_REPLY_LINES = 256


async def read_headers(reader: asyncio.StreamReader) -> dict[str, str]:
    """The `agi_*: value` lines Asterisk sends first, up to the blank line."""
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        raw = await reader.readline()
        if not raw:
            raise AgiHangup("connection closed during the headers")
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
    ):
        self.reader = reader
        self.writer = writer
        self.headers = dict(headers)
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
        self.writer.write(line.encode("utf-8") + b"\n")
        await self.writer.drain()
        lines = await self._read_reply()
        self._replied_at = time.perf_counter()
        log.debug("%s < %s", self.uniqueid, " | ".join(lines))
        try:
            return parse_reply(lines)
        except AgiHangup:
            self.hung_up = True
            raise

    async def _read_reply(self) -> list[str]:
        lines: list[str] = []
        while len(lines) < MAX_REPLY_LINES:
            raw = await self.reader.readline()
            if not raw:
                return lines  # parse_reply names the closed connection a hang-up
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not lines and line.startswith("100 "):
                continue  # "100 result=0 Trying..." comes before the real reply
            lines.append(line)
            if line.strip() == "HANGUP" or reply_is_complete(lines):
                return lines
        raise AgiError("reply too long", tuple(lines))
