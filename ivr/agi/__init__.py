"""FastAGI: an asyncio server, a typed channel and one pure reply parser (no pyst2)."""

from ivr.agi.channel import AgiChannel, read_headers
from ivr.agi.commands import AgiCommands, Recording, quote
from ivr.agi.errors import (
    AgiAppError,
    AgiDeadChannel,
    AgiError,
    AgiHangup,
    AgiInvalidCommand,
    AgiTimeout,
    AgiUnknownError,
    AgiUsageError,
)
from ivr.agi.reply import AgiResult, parse_reply, reply_is_complete
from ivr.agi.server import CallLimits, Route, handle_call, run_server, start_server

__all__ = [
    "AgiAppError",
    "AgiChannel",
    "AgiCommands",
    "AgiDeadChannel",
    "AgiError",
    "AgiHangup",
    "AgiInvalidCommand",
    "AgiResult",
    "AgiTimeout",
    "AgiUnknownError",
    "AgiUsageError",
    "CallLimits",
    "Recording",
    "Route",
    "handle_call",
    "parse_reply",
    "quote",
    "read_headers",
    "reply_is_complete",
    "run_server",
    "start_server",
]
