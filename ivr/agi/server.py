"""The asyncio FastAGI server: one coroutine per call, routed on agi_network_script."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Mapping

from ivr.agi.channel import AgiChannel, read_headers
from ivr.agi.errors import AgiHangup
from ivr.agi.stats import STATS
from models.core.settings import Settings

log = logging.getLogger(__name__)

Route = Callable[[AgiChannel], Awaitable[None]]
HEADER_TIMEOUT_S = 10.0


async def handle_call(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, routes: Mapping[str, Route]
) -> None:
    """Run one call's route; log any failure; always close the socket."""
    uniqueid = "?"
    try:
        headers = await asyncio.wait_for(read_headers(reader), HEADER_TIMEOUT_S)
        channel = AgiChannel(reader, writer, headers)
        uniqueid = channel.uniqueid or "?"
        route = routes.get(channel.script)
        if route is None:
            log.warning("call %s: no route for script %r", uniqueid, channel.script)
            await channel.verbose(f"helpline: no FastAGI route {channel.script!r}")
            return
        await route(channel)
    except AgiHangup as exc:
        log.info("call %s: hung up (%s)", uniqueid, exc)
    except (TimeoutError, ConnectionError) as exc:
        log.warning("call %s: connection problem: %r", uniqueid, exc)
    except Exception:
        log.exception("call %s: the call flow failed", uniqueid)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def start_server(host: str, port: int, routes: Mapping[str, Route]) -> asyncio.Server:
    """Listen for Asterisk's FastAGI connections on host:port."""
    server = await asyncio.start_server(
        lambda r, w: handle_call(r, w, routes), host, port, backlog=1024, limit=64 * 1024
    )
    names = ", ".join(str(s.getsockname()) for s in server.sockets)
    log.info("FastAGI listening on %s; routes: %s", names, ", ".join(sorted(routes)))
    return server


async def run_server(host: str, port: int, routes: Mapping[str, Route]) -> None:
    """Serve until cancelled."""
    server = await start_server(host, port, routes)
    async with server:
        await server.serve_forever()


async def start_ivr_server(settings: Settings, *, listener=None,
                           speech: bool | None = None) -> asyncio.Server:
    """The helpline's FastAGI server on settings.agi_host:agi_port with every call flow routed.

    speech: transcribe descriptions and hear districts with ivr/speech; by default when a Vosk
    model is there and HELPLINE_IVR_SPEECH is not `off`.
    """
    from ivr.flows import build_routes, create_services  # the flows build on this module

    if speech is None:
        speech = speech_wanted()
    if speech:
        from ivr.speech.listener import VoskListener
        from ivr.speech.shared import speech_available

        listener = listener or VoskListener()
        asyncio.get_running_loop().run_in_executor(None, speech_available)  # load the model now
    services = create_services(settings, listener=listener, speech=speech)
    server = await start_server(settings.agi_host, settings.agi_port, build_routes(services))
    server.helpline_services = services  # type: ignore[attr-defined]  # for tests and shutdown
    return server


def speech_wanted() -> bool:
    """A Vosk model is configured or installed, and HELPLINE_IVR_SPEECH is not `off`."""
    if os.environ.get("HELPLINE_IVR_SPEECH", "").lower() in {"off", "0", "no"}:
        return False
    try:
        from ivr.speech.shared import speech_status
    except ImportError:
        return False
    status = speech_status()
    if not status["available"]:
        log.warning("IVR without speech (keypad only): %s", status["error"])
    return bool(status["available"])


async def serve(settings: Settings, *, listener=None) -> None:
    """Serve the helpline's routes until cancelled; SIGUSR1 logs the turnaround figures."""
    server = await start_ivr_server(settings, listener=listener)
    with contextlib.suppress(NotImplementedError, RuntimeError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, STATS.dump)
    try:
        async with server:
            await server.serve_forever()
    finally:
        await server.helpline_services.close()  # type: ignore[attr-defined]


def run_ivr(settings: Settings, *, listener=None) -> None:
    """Blocking entry for `helpline ivr`."""
    asyncio.run(serve(settings, listener=listener))
