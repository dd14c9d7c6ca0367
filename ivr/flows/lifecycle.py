"""Wraps a call flow into a FastAGI route: call record opened and always finished."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from ivr.agi import AgiChannel, AgiError, AgiHangup, Route
from ivr.flows.call import IvrCall
from ivr.flows.services import IvrServices
from models.calls.call import Call
from models.calls.caller import caller_number

log = logging.getLogger(__name__)

Flow = Callable[[IvrCall], Awaitable[None]]
UNIQUEID_MAX = Call.__table__.c.uniqueid.type.length


def as_route(flow: Flow, services: IvrServices) -> Route:
    """The route runs `flow`; a hang-up or failure still finishes the call record."""

    async def route(channel: AgiChannel) -> None:
        if len(channel.uniqueid) > UNIQUEID_MAX:
            log.warning("call refused: agi_uniqueid of %d characters (the call record holds %d)",
                        len(channel.uniqueid), UNIQUEID_MAX)
            return
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
        except asyncio.CancelledError:  # the server's call limit, or the server stopping
            call.disposition = call.disposition or "cut_off"
            call.step("event", "cut_off")
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
