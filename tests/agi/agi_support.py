"""Fixtures for the FastAGI tests: a real server on a free port, driven by simulated calls."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

from ivr.agi import Route, start_server


@contextlib.asynccontextmanager
async def running_server(routes: Mapping[str, Route]) -> AsyncIterator[tuple[str, int]]:
    """The real FastAGI server on 127.0.0.1 and a free port."""
    server = await start_server("127.0.0.1", 0, routes)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield host, port
    finally:
        server.close()
        await server.wait_closed()


def run(coro):
    """Run one scenario on a fresh event loop, with a ceiling so a hung test fails."""
    return asyncio.run(asyncio.wait_for(coro, 60))
