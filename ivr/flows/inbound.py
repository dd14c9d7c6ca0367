"""agi://…/ivr: welcome, language (1 Hindi by default, 2 English), then the main menu."""

from __future__ import annotations

import logging

from ivr.flows.call import TRIES, IvrCall
from ivr.flows.caller import ask_mobile
from ivr.flows.new_complaint import new_complaint
from ivr.flows.status import complaint_status

log = logging.getLogger(__name__)

LANGUAGES = {"1": "hi", "2": "en"}


async def inbound(call: IvrCall) -> None:
    await call.channel.answer()
    early = await call.say("welcome", barge_in=True)
    call.language = await choose_language(call, early)
    await call.channel.set_variable("__HELPLINE_LANG", call.language)
    await call.channel.set_variable("__HELPLINE_CALL", call.uniqueid)
    if call.mobile is None:  # withheld or no number from the network: the caller keys it
        call.mobile = await ask_mobile(call)
    await main_menu(call)


async def choose_language(call: IvrCall, early: str | None = None) -> str:
    """1 Hindi, 2 English; no input means Hindi at once, three wrong keys mean Hindi too."""
    choice = early
    for attempt in range(TRIES):
        if choice is None or attempt:
            choice = await call.ask("language")
        if not choice:
            break
        if choice in LANGUAGES:
            language = LANGUAGES[choice]
            call.step("event", "language", language)
            return language
        if attempt < TRIES - 1:
            await call.say("invalid")
    call.step("event", "language", "hi")
    return "hi"


async def main_menu(call: IvrCall) -> None:
    """1 new complaint, 2 status, 0 an agent; '*' repeats; three misses go to an agent."""
    choice = await call.choose("main_menu", {"1", "2", "0"})
    if choice == "1":
        await new_complaint(call)
    elif choice == "2":
        await complaint_status(call)
    else:
        await call.to_agents("agent_requested" if choice == "0" else "no_menu_choice")
