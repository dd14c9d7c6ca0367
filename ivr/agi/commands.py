"""The AGI commands the call flows use, built on one abstract `command(line)` turn."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from ivr.agi.errors import AgiAppError, AgiHangup
from ivr.agi.reply import AgiResult

log = logging.getLogger(__name__)

ALL_KEYS = "0123456789*#"


def quote(value: object) -> str:
    """An AGI argument in double quotes, with quotes and backslashes escaped."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


@dataclass(frozen=True)
class Recording:
    """How a RECORD FILE ended: `reason` is dtmf, timeout (also silence) or hangup."""

    digit: str | None
    reason: str
    endpos: int


class AgiCommands(ABC):
    """Typed async AGI commands; subclasses provide the transport in `command`."""

    headers: Mapping[str, str]
    hung_up: bool = False

    @abstractmethod
    async def command(self, line: str) -> AgiResult:
        """Send one command line and return its parsed reply (or raise a named AgiError)."""

    @property
    def uniqueid(self) -> str:
        return self.headers.get("agi_uniqueid", "")

    @property
    def caller(self) -> str:
        return self.headers.get("agi_callerid", "")

    @property
    def script(self) -> str:
        """The route: `ivr` for agi://host:4573/ivr (a query string is left off)."""
        return self.headers.get("agi_network_script", "").split("?", 1)[0].strip("/")

    @property
    def arguments(self) -> list[str]:
        """agi_arg_1, agi_arg_2, … in order."""
        args, n = [], 1
        while f"agi_arg_{n}" in self.headers:
            args.append(self.headers[f"agi_arg_{n}"])
            n += 1
        return args

    async def answer(self) -> None:
        await self.command("ANSWER")

    async def stream_file(self, name: str, escape_digits: str = "") -> str | None:
        """Play `name` (no extension); return the key that interrupted it, if any."""
        try:
            reply = await self.command(f"STREAM FILE {quote(name)} {quote(escape_digits)}")
        except AgiAppError:
            log.warning("could not play %s (missing prompt?)", name)
            return None
        return reply.digit

    async def get_data(self, name: str, timeout_ms: int = 5000, max_digits: int = 1) -> str:
        """Play `name` and collect up to `max_digits` keys ('#' ends early); '' on no input."""
        reply = await self._listen(f"GET DATA {quote(name)} {timeout_ms} {max_digits}")
        return reply.result

    async def wait_for_digit(self, timeout_ms: int = 5000) -> str | None:
        reply = await self._listen(f"WAIT FOR DIGIT {timeout_ms}")
        return reply.digit

    async def _listen(self, line: str) -> AgiResult:
        """A command waiting for keys: Asterisk 22 answers `result=-1` when the caller hangs up."""
        try:
            return await self.command(line)
        except AgiAppError as exc:
            self.hung_up = True
            raise AgiHangup(f"caller hung up during {line.split(' ', 3)[:3]}", exc.lines) from exc

    async def record_file(
        self,
        path: str,
        *,
        fmt: str = "wav",
        escape_digits: str = "#",
        max_ms: int = 120_000,
        silence_s: int | None = 4,
        beep: bool = True,
        offset: int = 0,
    ) -> Recording:
        """Record the caller into `path`.`fmt` until a key, silence or `max_ms`; with `offset`
        (samples), append to the file from there."""
        parts = [f"RECORD FILE {quote(path)} {fmt} {quote(escape_digits)} {max_ms}"]
        if offset:
            parts.append(str(offset))  # Asterisk reads BEEP where the offset goes: never both
        elif beep:
            parts.append("BEEP")
        if silence_s:
            parts.append(f"s={silence_s}")
        reply = await self.command(" ".join(parts))
        reason = reply.data or ("dtmf" if reply.digit else "timeout")
        return Recording(digit=reply.digit, reason=reason, endpos=reply.endpos or 0)

    async def set_variable(self, name: str, value: object) -> None:
        await self.command(f"SET VARIABLE {name} {quote(value)}")

    async def get_variable(self, name: str) -> str | None:
        reply = await self.command(f"GET VARIABLE {quote(name)}")
        return reply.data if reply.result == "1" else None

    async def exec(self, application: str, *args: object) -> AgiResult:
        options = ",".join(str(a) for a in args)
        return await self.command(f"EXEC {application} {quote(options)}")

    async def verbose(self, message: str, level: int = 1) -> None:
        await self.command(f"VERBOSE {quote(message)} {level}")

    async def hangup(self) -> None:
        await self.command("HANGUP")
