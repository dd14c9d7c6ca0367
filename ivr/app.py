"""The IVR's composition root: the FastAGI server given the helpline's call flows and services."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from ivr.agi.server import CallLimits, start_server
from ivr.agi.stats import STATS
from ivr.flows import build_routes, create_services
from models.core.settings import Settings

log = logging.getLogger(__name__)


async def start_ivr_server(settings: Settings, *, listener=None,
                           speech: bool | None = None) -> asyncio.Server:
    """The helpline's FastAGI server on settings.agi_host:agi_port with every call flow routed.

    speech: transcribe descriptions and hear districts with ivr/speech; by default when a Vosk
    model is there and settings.ivr_speech (HELPLINE_IVR_SPEECH) is not off.
    """
    if speech is None:
        speech = speech_wanted(settings)
    if speech:
        from ivr.speech.grammar import word_lists_dir
        from ivr.speech.listener import VoskListener
        from ivr.speech.shared import configure_speech, speech_available

        configure_speech(settings)
        listener = listener or VoskListener(directory=word_lists_dir(settings.config_dir))
        asyncio.get_running_loop().run_in_executor(None, speech_available)  # load the model now
    services = create_services(settings, listener=listener, speech=speech)
    limits = CallLimits(headers_s=settings.agi_headers_limit_s, reply_s=settings.agi_reply_limit_s,
                        call_s=settings.agi_call_limit_s)
    server = await start_server(settings.agi_host, settings.agi_port, build_routes(services), limits)
    server.helpline_services = services  # type: ignore[attr-defined]  # for tests and shutdown
    return server


def speech_wanted(settings: Settings) -> bool:
    """settings.ivr_speech is on and the model it names (or the installed one) is there."""
    if not settings.ivr_speech:
        return False
    from ivr.speech.shared import configure_speech, speech_status

    configure_speech(settings)
    status = speech_status()
    if not status["available"]:
        log.warning("IVR without speech (keypad only): %s", status["error"])
    return bool(status["available"])


async def serve(settings: Settings, *, listener=None) -> None:
    """Serve the helpline's routes until cancelled; SIGUSR1 logs the turnaround figures."""
    server = await start_ivr_server(settings, listener=listener)
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGUSR1, STATS.dump, settings.agi_stats_file)
    try:
        async with server:
            await server.serve_forever()
    finally:
        await server.helpline_services.close()  # type: ignore[attr-defined]


def run_ivr(settings: Settings, *, listener=None) -> None:
    """Blocking entry for `helpline ivr`."""
    asyncio.run(serve(settings, listener=listener))
