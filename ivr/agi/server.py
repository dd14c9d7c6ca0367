"""The asyncio FastAGI server: one coroutine per call, routed on agi_network_script."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from ivr.agi.channel import AgiChannel, read_headers
from ivr.agi.errors import AgiError, AgiHangup

log = logging.getLogger(__name__)

Route = Callable[[AgiChannel], Awaitable[None]]
MAX_LINE_BYTES = 64 * 1024  # the stream's buffer: a longer header or reply line is refused


@dataclass(frozen=True)
class CallLimits:
    """How long a peer may take: the header block, one reply, the whole call (seconds).

    A peer that dribbles bytes or stops answering is cut at these, so it never holds a
    coroutine (and its memory) for longer; Asterisk answers within a command's own time."""

    headers_s: float = 10.0
    reply_s: float = 300.0   # longer than any prompt, GET DATA or RECORD FILE the flows send
    call_s: float = 1800.0   # half an hour in the IVR is far beyond any real caller's


async def handle_call(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      routes: Mapping[str, Route], limits: CallLimits = CallLimits()) -> None:
    """Run one call's route within `limits`; log any failure; always close the socket."""
    uniqueid = "?"
    try:
        async with asyncio.timeout(limits.call_s):
            headers = await asyncio.wait_for(read_headers(reader), limits.headers_s)
            channel = AgiChannel(reader, writer, headers, reply_s=limits.reply_s)
            uniqueid = channel.uniqueid or "?"
            route = routes.get(channel.script)
            if route is None:
                log.warning("call %s: no route for script %r", uniqueid, channel.script)
                await channel.verbose(f"helpline: no FastAGI route {channel.script!r}")
                return
            if not channel.uniqueid:
                log.warning("call to %r refused: the headers carry no agi_uniqueid", channel.script)
                return
            await route(channel)
    except AgiHangup as exc:
        log.info("call %s: hung up (%s)", uniqueid, exc)
    except AgiError as exc:
        log.warning("call %s: AGI protocol error: %s", uniqueid, exc)
    except TimeoutError:
        log.warning("call %s: cut after the limit (headers %.0f s, call %.0f s)", uniqueid,
                    limits.headers_s, limits.call_s)
    except ConnectionError as exc:
        log.warning("call %s: connection problem: %r", uniqueid, exc)
    except Exception:
        log.exception("call %s: the call flow failed", uniqueid)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def start_server(host: str, port: int, routes: Mapping[str, Route],
                       limits: CallLimits = CallLimits()) -> asyncio.Server:
    """Listen for Asterisk's FastAGI connections on host:port."""
    server = await asyncio.start_server(
        lambda r, w: handle_call(r, w, routes, limits), host, port, backlog=1024, limit=MAX_LINE_BYTES
    )
    names = ", ".join(str(s.getsockname()) for s in server.sockets)
    log.info("FastAGI listening on %s; routes: %s", names, ", ".join(sorted(routes)))
    return server


async def run_server(host: str, port: int, routes: Mapping[str, Route],
                     limits: CallLimits = CallLimits()) -> None:
    """Serve until cancelled."""
    server = await start_server(host, port, routes, limits)
    async with server:
        await server.serve_forever()
