"""A caller whose number did not come with the call keys it in: read back, 1 confirms, 2 re-enters."""

from __future__ import annotations

import logging

from ivr.flows.call import TRIES, IvrCall
from ivr.flows.readout import digit_keys
from models.calls.caller import caller_number

log = logging.getLogger(__name__)

MOBILE_TIMEOUT_MS = 10_000


async def ask_mobile(call: IvrCall) -> str | None:
    """The caller's 10-digit mobile number from the keypad, confirmed; None after TRIES misses."""
    misses = 0
    while misses < TRIES:
        keyed = await call.ask("mobile_enter", max_digits=10, timeout_ms=MOBILE_TIMEOUT_MS)
        number = caller_number(keyed)
        if number is None:
            misses += 1
            call.step("event", "mobile_invalid", keyed)
            if misses < TRIES:
                await call.say("mobile_invalid" if keyed else "no_input")
            continue
        early = await call.say("mobile_you_entered", *digit_keys(number), barge_in=True)
        choice = early if early in {"1", "2"} else await call.choose("mobile_confirm", {"1", "2"})
        if choice == "1":
            call.step("event", "mobile_keyed", number)
            call.services.journal.caller(call.uniqueid, number)
            return number
        if choice is None:
            break
    call.step("event", "mobile_unknown")
    return None
