"""agi://…/queue-timeout: no agent answered; tell the draft's ID and offer a call back."""

from __future__ import annotations

import functools
import logging

from ivr.flows import queries
from ivr.flows.call import IvrCall
from ivr.flows.readout import digit_keys

log = logging.getLogger(__name__)


async def queue_timeout(call: IvrCall) -> None:
    call.language = await call.channel.get_variable("HELPLINE_LANG") or "hi"
    draft = await call.channel.get_variable("HELPLINE_DRAFT")
    call.step("queue", "timeout", draft or "")
    if not draft:
        await call.say("queue_timeout_no_draft")
        await call.goodbye()
        return
    # A key during the read-out skips to the offer; the ID is read again at the end.
    await call.say("queue_timeout", "complaint_id_is", *digit_keys(draft), barge_in=True)
    choice = await call.choose("callback_offer", {"1", "2"})
    if choice == "1":
        stored = await call.services.db.run(
            functools.partial(queries.request_callback, public_id=draft))
        call.step("event", "callback_requested", draft if stored else f"{draft} (no such draft)")
        await call.say("callback_confirmed")
    else:
        await call.say("callback_declined")
    await call.say("complaint_id_is", *digit_keys(draft))
    await call.goodbye()
