"""Fixtures for tests that need the local Asterisk: it must be up (`helpline asterisk up`); they fail, not skip."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections.abc import Coroutine, Iterator
from pathlib import Path

import pytest

from ivr.ami.client import RECONNECTED, AmiClient, AmiError, run_action
from models.core.settings import Settings, get_settings
from scripts.local_asterisk.cli import not_up_reason


@pytest.fixture(scope="session")
def asterisk_settings() -> Settings:
    """The settings, once the local Asterisk has answered a Ping."""
    settings = get_settings()
    reason = not_up_reason(settings)
    if reason:
        pytest.fail(reason, pytrace=False)
    return settings


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


@pytest.fixture
def run(loop):
    """run(coro, timeout=60): drive a coroutine on the test's loop (the one `ami` lives on)."""

    def run(coro: Coroutine, timeout: float = 60):
        return loop.run_until_complete(asyncio.wait_for(coro, timeout))

    return run


@pytest.fixture
def ami(asterisk_settings, loop, run) -> Iterator[AmiClient]:
    """A connected AMI client on the test's loop."""
    client = AmiClient.from_settings(asterisk_settings, ping_interval=5)
    run(client.connect())
    yield client
    run(client.close())


@pytest.fixture(scope="session")
def test_audio(asterisk_settings) -> Path:
    """A folder under var/ (same path for Asterisk) with a short tone: test-audio/tone.wav."""
    folder = asterisk_settings.var_dir / "test-audio"
    folder.mkdir(parents=True, exist_ok=True)
    tone = folder / "tone.wav"
    if not tone.exists():
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(tone),
                        "synth", "0.3", "sine", "440"], check=True)
    return folder


async def empty_queue(ami: AmiClient, queue: str = "helpline") -> None:
    """Remove every member of the queue, so no agent left by another test answers our calls."""
    status = await ami.action({"Action": "QueueStatus", "Queue": queue})
    for event in status.events:
        if event.name == "QueueMember" and event.get("Location"):
            await ami.action({"Action": "QueueRemove", "Queue": queue,
                              "Interface": event["Location"]}, check=False)


def cli(settings: Settings, command: str) -> str:
    """An Asterisk CLI command's output, through AMI."""
    return run_action(settings, {"Action": "Command", "Command": command}).get("Output", "")


def channels(settings: Settings) -> list[list[str]]:
    """`core show channels concise`, each channel's !-separated fields."""
    return [line.split("!") for line in cli(settings, "core show channels concise").splitlines() if "!" in line]


def hang_up(settings: Settings, *prefixes: str) -> None:
    """Hang up every channel whose name starts with one of `prefixes` (a test's leftovers)."""
    for fields in channels(settings):
        if fields[0].startswith(prefixes):
            with contextlib.suppress(AmiError):  # its other half may have taken it down already
                run_action(settings, {"Action": "Hangup", "Channel": fields[0]})


async def restart_asterisk(ami: AmiClient, timeout: float = 45) -> None:
    """`core restart now` (the process starts itself again, calls and all dropped); returns once
    `ami` has logged in again to a fully booted Asterisk."""
    with ami.events(RECONNECTED, "FullyBooted") as stream:
        with contextlib.suppress(AmiError):  # the connection may drop before the answer
            await ami.action({"Action": "Command", "Command": "core restart now"}, check=False)
        seen: set[str] = set()
        async with asyncio.timeout(timeout):
            while seen != {RECONNECTED, "FullyBooted"}:
                seen.add((await stream.get()).name)
