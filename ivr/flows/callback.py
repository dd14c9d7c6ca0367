"""agi://…/callback: the helpline calling back a caller who found no agent free (ivr/outbound.py
places it). Answered: "connecting you to an officer" and on to the queue with the draft, so the
agent's screen pops with it. Not answered (the `failed` extension): back in the list for later."""

from __future__ import annotations

import functools
import logging

from ivr.flows import queries
from ivr.flows.call import IvrCall

log = logging.getLogger(__name__)


async def callback(call: IvrCall) -> None:
    """Reads HELPLINE_CALLBACK, HELPLINE_LANG and, on a refused call, HELPLINE_CALLBACK_FAILED."""
    callback_id = int(await call.channel.get_variable("HELPLINE_CALLBACK") or 0)
    reason = await call.channel.get_variable("HELPLINE_CALLBACK_FAILED")
    answered = not reason
    if answered:
        call.language = await call.channel.get_variable("HELPLINE_LANG") or "hi"
    status = await call.services.db.run(functools.partial(
        queries.record_callback, callback_id=callback_id, answered=answered, uniqueid=call.uniqueid,
        detail="answered" if answered else f"dial result {reason}"))
    call.step("event", "callback", f"{callback_id} {status}")
    if answered:
        await call.say("callback_connecting")
        await call.set_next("queue")
