"""The asyncio FastAGI server: one coroutine per call, routed on agi_network_script."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from ivr.agi.channel import AgiChannel, read_headers
from ivr.agi.errors import AgiHangup

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
