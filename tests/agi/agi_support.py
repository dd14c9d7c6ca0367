"""Helpers for the FastAGI tests: a real server on a free port, and running a scenario."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

from ivr.agi import Route, start_server


@contextlib.asynccontextmanager
async def serving(server: asyncio.Server) -> AsyncIterator[tuple[str, int]]:
    """(host, port) of a started server, closed afterwards."""
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield host, port
    finally:
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def running_server(routes: Mapping[str, Route]) -> AsyncIterator[tuple[str, int]]:
    """The real FastAGI server on 127.0.0.1 and a free port."""
    async with serving(await start_server("127.0.0.1", 0, routes)) as address:
        yield address


@contextlib.asynccontextmanager
async def helpline_ivr(settings, listener=None) -> AsyncIterator[tuple[str, int]]:
    """The real helpline FastAGI server (every route, real database) on a free port."""
    from ivr.app import start_ivr_server

    server = await start_ivr_server(settings, listener=listener, speech=False)
    try:
        async with serving(server) as address:
            yield address
    finally:
        await server.helpline_services.close()  # the journal is flushed before this returns


def run(coro):
    """Run one scenario on a fresh event loop, with a ceiling so a hung test fails."""
    return asyncio.run(asyncio.wait_for(coro, 60))


def place_calls(settings, *calls, listener=None):
    """Run simulated calls at once against the helpline server; every record is stored after."""
    async def scenario():
        async with helpline_ivr(settings, listener) as (host, port):
            return await asyncio.gather(*(c.run(host, port) for c in calls))

    return run(scenario())


def journey_of(uniqueid: str) -> dict:
    """The stored call record, as the API shows it."""
    from models.calls import service as calls
    from models.core.db import unit_of_work

    with unit_of_work() as uow:
        call = calls.get_by_uniqueid(session=uow.session, uniqueid=uniqueid)
        assert call is not None, f"no call record for {uniqueid}"
        return calls.journey(call)
