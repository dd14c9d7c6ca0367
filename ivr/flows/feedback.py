"""agi://…/feedback: the outbound satisfaction call about a resolved complaint."""

from __future__ import annotations

import logging

from ivr.flows.call import IvrCall
from ivr.flows.readout import digit_keys

log = logging.getLogger(__name__)

ANSWERS = {"1": "satisfied", "2": "not_satisfied"}


async def feedback(call: IvrCall) -> None:
    """Reads HELPLINE_COMPLAINT and HELPLINE_LANG set by whoever placed the call."""
    await call.channel.answer()
    call.language = await call.channel.get_variable("HELPLINE_LANG") or "hi"
    public_id = await call.channel.get_variable("HELPLINE_COMPLAINT") or ""
    await call.say("feedback_intro", *digit_keys(public_id), barge_in=True)
    choice = await call.choose("feedback_question", set(ANSWERS))
    call.step("event", "feedback", f"{public_id} {ANSWERS.get(choice or '', 'no_answer')}")
    await call.channel.set_variable("HELPLINE_FEEDBACK", ANSWERS.get(choice or "", ""))
    if choice:
        await call.say("feedback_thanks")
    await call.goodbye()
