"""One pure function turning the lines of an AGI reply into a result or a named exception."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ivr.agi.errors import (
    AgiAppError,
    AgiDeadChannel,
    AgiHangup,
    AgiInvalidCommand,
    AgiUnknownError,
    AgiUsageError,
)

log = logging.getLogger(__name__)

_CODE = re.compile(r"^(?P<code>\d{3})(?P<sep>[ -]?)(?P<rest>.*)$")
_200 = re.compile(
    r"^result=(?P<result>\S*)(?:\s+\((?P<data>.*)\))?(?P<extra>(?:\s+\w+=\S*)*)\s*$"
)
_KV = re.compile(r"(\w+)=(\S*)")


@dataclass(frozen=True)
class AgiResult:
    """A successful (200) reply: `result=…`, the optional `(data)` and any `key=value` pairs."""

    result: str
    data: str | None = None
    endpos: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def number(self) -> int:
        """The result as a number (0 when empty)."""
        return int(self.result) if self.result.lstrip("-").isdigit() else 0

    @property
    def digit(self) -> str | None:
        """The key pressed, for commands that answer with its ASCII code (0 = none)."""
        code = self.number
        return chr(code) if code > 0 else None

    @property
    def timed_out(self) -> bool:
        return self.data == "timeout"


def reply_is_complete(lines: Sequence[str]) -> bool:
    """Whether `lines` hold a whole reply (a 520 usage text runs until `520 End…`)."""
    if not lines:
        return False
    first, last = lines[0], lines[-1]
    if first.startswith("520-"):
        return len(lines) > 1 and last.startswith("520 ")
    return not first.startswith("100 ")


def parse_reply(lines: Sequence[str]) -> AgiResult:
    """Parse one AGI reply; raise AgiHangup, AgiDeadChannel, AgiUsageError, … for failures."""
    lines = tuple(line.rstrip("\r\n") for line in lines)
    if not lines:
        raise AgiHangup("connection closed before a reply")
    first = lines[0]
    if first.strip() == "HANGUP":
        raise AgiHangup("caller hung up", lines)
    match = _CODE.match(first)
    if match is None:
        raise AgiUnknownError(f"unparseable reply {first!r}", lines)
    code, rest = int(match["code"]), match["rest"].strip()
    if code == 200:
        return _parse_200(rest, lines)
    if code == 510:
        raise AgiInvalidCommand(rest or "invalid or unknown command", lines)
    if code == 511:
        raise AgiDeadChannel(rest or "command not permitted on a dead channel", lines)
    if code == 520:
        usage = "\n".join(line for line in lines[1:] if not line.startswith("520 "))
        raise AgiUsageError(rest or "invalid command syntax", lines, usage=usage)
    raise AgiUnknownError(f"unexpected reply code {code}: {rest}", lines)


def _parse_200(rest: str, lines: tuple[str, ...]) -> AgiResult:
    match = _200.match(rest)
    if match is None:
        raise AgiUnknownError(f"unparseable 200 reply {rest!r}", lines)
    extra = dict(_KV.findall(match["extra"] or ""))
    endpos = extra.pop("endpos", None)
    result = AgiResult(
        result=match["result"],
        data=match["data"],
        endpos=int(endpos) if endpos and endpos.lstrip("-").isdigit() else None,
        extra=extra,
    )
    if result.data == "hangup":
        raise AgiHangup("caller hung up during the command", lines)
    if result.result == "-1":
        raise AgiAppError("command failed or channel hung up", lines)
    return result
