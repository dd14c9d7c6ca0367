"""One caller's side of the IVR: prompts, key entry and menus, each written to the call record."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from ivr.agi.commands import ALL_KEYS, AgiCommands
from ivr.flows.services import IvrServices

log = logging.getLogger(__name__)

TRIES = 3
MAX_REPEATS = 5


@dataclass
class IvrCall:
    channel: AgiCommands
    services: IvrServices
    language: str = "hi"
    disposition: str | None = None
    mobile: str | None = None  # the caller's 10-digit number: from the network, or keyed in

    @property
    def uniqueid(self) -> str:
        return self.channel.uniqueid

    def step(self, kind: str, name: str, value: str | None = None) -> None:
        self.services.journal.step(self.uniqueid, kind, name, value)

    def path(self, key: str) -> str:
        return self.services.prompt_path(self.language, key)

    async def say(self, *keys: str, barge_in: bool = False) -> str | None:
        """Play prompts in turn; with barge_in, stop at the first key pressed and return it."""
        for key in keys:
            self.step("prompt", key)
            digit = await self.channel.stream_file(self.path(key), ALL_KEYS if barge_in else "")
            if digit:
                self.step("input", key, digit)
                return digit
        return None

    async def ask(self, key: str, *, max_digits: int = 1, timeout_ms: int = 5000) -> str:
        """Play `key` and collect keys (GET DATA: barge-in, '#' ends); '' when nothing came."""
        self.step("prompt", key)
        digits = await self.channel.get_data(self.path(key), timeout_ms, max_digits)
        self.step("input", key, digits)
        return digits

    async def choose(self, key: str, valid: Collection[str], *, tries: int = TRIES) -> str | None:
        """A one-key menu: '*' repeats it; None after `tries` missing or wrong answers."""
        failures = repeats = 0
        while failures < tries:
            choice = await self.ask(key)
            if choice and choice in valid:
                return choice
            if choice == "*" and repeats < MAX_REPEATS:
                repeats += 1
                continue
            failures += 1
            if failures < tries:
                await self.say("invalid" if choice else "no_input")
        self.step("event", "too_many_tries", key)
        return None

    async def set_next(self, what: str) -> None:
        """What the dialplan does after the AGI: `queue` (agents) or `hangup`."""
        await self.channel.set_variable("HELPLINE_NEXT", what)
        self.disposition = "queued" if what == "queue" else "completed"
        self.step("event", "next", what)

    async def to_agents(self, reason: str) -> None:
        self.step("queue", "to_agents", reason)
        await self.say("transfer_agent")
        await self.set_next("queue")

    async def goodbye(self) -> None:
        await self.say("goodbye")
        await self.set_next("hangup")
