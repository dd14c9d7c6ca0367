"""Named failures of an AGI exchange, so call flows can tell a hang-up from a bug."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class AgiError(Exception):
    """Any AGI failure; `lines` holds the raw reply when there was one."""

    def __init__(self, message: str, lines: tuple[str, ...] = ()):
        super().__init__(message)
        self.lines = lines


class AgiHangup(AgiError):
    """The caller hung up (a `HANGUP` line, a `(hangup)` result, or the socket closed)."""


class AgiDeadChannel(AgiHangup):
    """511: the command was refused because the channel is dead or intercepted."""


class AgiTimeout(AgiHangup):
    """No whole reply came within the call's reply limit: the peer is treated as gone."""


class AgiInvalidCommand(AgiError):
    """510: Asterisk does not know the command."""


class AgiUsageError(AgiError):
    """520: the command's syntax was wrong; `usage` holds Asterisk's help text."""

    def __init__(self, message: str, lines: tuple[str, ...] = (), usage: str = ""):
        super().__init__(message, lines)
        self.usage = usage


class AgiAppError(AgiError):
    """200 result=-1: the command failed (a missing prompt file, a failed application)."""


class AgiUnknownError(AgiError):
    """A reply this server does not understand."""
