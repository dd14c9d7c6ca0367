"""End-to-end: real calls into the local Asterisk, our FastAGI server, a real database.

Each test process runs its own FastAGI server on a free port; every call carries
HELPLINE_AGI_PORT so the shared Asterisk sends that call's AGI requests to it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
from pathlib import Path

import pytest

from models.core import db as model_db
from scripts.demo_call import speech_file
from scripts.demo_citizen import place_citizen_call
from tests.asterisk_fixtures import ami, asterisk_settings, empty_queue, loop, run  # noqa: F401
from tests.conftest import prepare_database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory) -> str:
    """A migrated SQLite database with reference data and the demo officers."""
    return prepare_database(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'helpline.db'}")


@pytest.fixture
def e2e_engine(e2e_database):
    model_db.configure_engine(e2e_database)
    return model_db.get_engine()


class IvrServer:
    """The helpline's FastAGI server on its own loop in a background thread."""

    def __init__(self, settings):
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="fastagi", daemon=True)

    def _run(self) -> None:
        from ivr.app import start_ivr_server

        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(start_ivr_server(self.settings))
        self.ready.set()
        self.loop.run_forever()

    def start(self) -> "IvrServer":
        self.thread.start()
        assert self.ready.wait(30), "FastAGI server did not start"
        return self

    def stop(self) -> None:
        async def shutdown():
            self.server.close()
            await self.server.wait_closed()
            await self.server.helpline_services.close()
        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="session")
def prompts_built(asterisk_settings) -> Path:
    """The prompt audio under var/prompts (built once; unchanged prompts are not re-rendered)."""
    from ivr.prompts.build import build_prompts

    build_prompts(prompts_dir=asterisk_settings.prompts_dir)
    return asterisk_settings.prompts_dir


@pytest.fixture(scope="session")
def ivr_server(asterisk_settings, prompts_built, e2e_database):
    settings = dataclasses.replace(asterisk_settings, agi_port=free_port(), database_url=e2e_database)
    server = IvrServer(settings).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def speech_audio(asterisk_settings) -> Path:
    """A complaint spoken by espeak-ng in Hindi, as 8 kHz audio the citizen leg plays."""
    wav = speech_file("मेरे गाँव में हैंडपंप तीन हफ्ते से खराब है। कृपया जल्दी ठीक करवाइए।",
                      voice="hi", folder=asterisk_settings.var_dir / "test-audio")
    return wav.with_suffix("")


@pytest.fixture
def no_agents(ami, run):
    run(empty_queue(ami))


@pytest.fixture
def dial(ivr_server, ami, run, e2e_engine, no_agents):
    """dial(caller, steps, timeout=90, **variables) -> CitizenCall, through our FastAGI server."""

    def dial(caller: str, steps: str, timeout: float = 120, **variables):
        variables = {"HELPLINE_AGI_PORT": str(ivr_server.settings.agi_port),
                     "HELPLINE_QUEUE_TIMEOUT": "5", **variables}
        call = run(place_citizen_call(ami, caller=caller, steps=steps, timeout=timeout,
                                      variables=variables), timeout=timeout + 30)
        assert call.answered, "the helpline did not answer"
        return call

    return dial


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.2):
    """Poll until predicate() is truthy (the call journal is written in batches)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
