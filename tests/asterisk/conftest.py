"""The local Asterisk for these tests: it must be up (`helpline asterisk up`); they fail, not skip."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Coroutine, Iterator
from pathlib import Path

import pytest

from ivr.ami import AmiClient, AmiError, run_action
from models.settings import Settings, get_settings

NOT_UP = (
    "The local Asterisk is not up on AMI {host}:{port} ({error}). Run `helpline asterisk up` "
    "(as root it builds a Debian sid root with debootstrap when no asterisk is installed); "
    "`make test` does this for you."
)


@pytest.fixture(scope="session")
def asterisk_settings() -> Settings:
    """The settings, once the local Asterisk has answered a Ping."""
    settings = get_settings()
    try:
        run_action(settings, {"Action": "Ping"}, timeout=5)
    except (OSError, AmiError, TimeoutError) as exc:
        pytest.fail(NOT_UP.format(host=settings.ami_host, port=settings.ami_port, error=exc), pytrace=False)
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
