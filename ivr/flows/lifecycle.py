"""Wraps a call flow into a FastAGI route: call record opened and always finished."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable

from ivr.agi import AgiChannel, AgiError, AgiHangup, Route
from ivr.flows.call import IvrCall
from ivr.flows.services import IvrServices
from models.calls.caller import caller_number

log = logging.getLogger(__name__)

Flow = Callable[[IvrCall], Awaitable[None]]


def as_route(flow: Flow, services: IvrServices) -> Route:
    """The route runs `flow`; a hang-up or failure still finishes the call record."""

    async def route(channel: AgiChannel) -> None:
        call = IvrCall(channel, services, mobile=caller_number(channel.caller))
        services.journal.start(call.uniqueid, call.mobile or channel.caller,
                               channel.headers.get("agi_channel"), call.language)
        if call.mobile is None:
            call.step("event", "caller_withheld", channel.caller or "")
        try:
            await flow(call)
        except AgiHangup:
            call.disposition = call.disposition or "hangup"
            call.step("event", "hangup")
            raise
        except Exception as exc:
            call.disposition = "error"
            call.step("error", type(exc).__name__, str(exc)[:500])
            with contextlib.suppress(AgiError):  # a person can still help the caller
                await channel.set_variable("HELPLINE_NEXT", "queue")
            raise
        finally:
            services.journal.finish(call.uniqueid, call.disposition)

    route.__name__ = route.__qualname__ = flow.__name__
    return route
