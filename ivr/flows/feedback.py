"""agi://…/feedback: the satisfaction call about a resolved complaint (ivr/outbound.py places it).

The citizen hears the complaint ID and the action taken (the officer's words, spoken by the
prompt renderer), then: 1 satisfied, 2 not satisfied, * to hear it all again. The answer, or
that none came (a hang-up, silence, or a call the network refused: the `failed` extension),
goes to models/calls/feedback.py, which closes or reopens the complaint."""

from __future__ import annotations

import functools
import logging

from ivr.flows import queries
from ivr.flows.call import IvrCall
from ivr.flows.readout import digit_keys
from models.calls.feedback import FeedbackResult

log = logging.getLogger(__name__)

ANSWERS = {"1": FeedbackResult.SATISFIED, "2": FeedbackResult.NOT_SATISFIED}
REPEATS = 2
# Asterisk's dial result (REASON on the failed extension): 5 busy; 3 rang out, 1 and 0 hung up
# unanswered; 8 congestion and anything else: the network refused the call.
DIAL_REASONS = {"5": FeedbackResult.BUSY, "3": FeedbackResult.NO_ANSWER, "1": FeedbackResult.NO_ANSWER,
                "0": FeedbackResult.NO_ANSWER}


async def feedback(call: IvrCall) -> None:
    """Reads HELPLINE_FEEDBACK_ATTEMPT, HELPLINE_LANG and, on a refused call, HELPLINE_FEEDBACK_FAILED."""
    attempt_id = int(await call.channel.get_variable("HELPLINE_FEEDBACK_ATTEMPT") or 0)
    reason = await call.channel.get_variable("HELPLINE_FEEDBACK_FAILED")
    if reason:
        result = DIAL_REASONS.get(reason, FeedbackResult.FAILED)
        call.step("event", "feedback_not_answered", f"reason {reason}")
        await _record(call, attempt_id, result, f"dial result {reason}")
        return
    result, detail = FeedbackResult.NO_ANSWER, "hung up"
    try:
        await call.channel.answer()
        call.language = await call.channel.get_variable("HELPLINE_LANG") or "hi"
        subject = await call.services.db.run(
            functools.partial(queries.feedback_subject, attempt_id=attempt_id))
        if subject is None:
            detail = "unknown try"
            await call.goodbye()
            return
        readout = ["feedback_intro", *digit_keys(subject.public_id)]
        action_taken = await call.services.text_prompt(call.language, subject.resolution) \
            if subject.resolution.strip() else None
        if action_taken:
            readout += ["feedback_resolution", action_taken]
        choice = None
        for _ in range(1 + REPEATS):
            pressed = await call.say(*readout, barge_in=True)
            choice = pressed if pressed in ANSWERS else await call.choose("feedback_question", {*ANSWERS, "*"})
            if choice != "*":
                break
        if choice in ANSWERS:
            result, detail = ANSWERS[choice], f"pressed {choice}"
            await call.say("feedback_thanks")
        else:
            detail = "no answer to the question"
        await call.goodbye()
    finally:
        call.step("event", "feedback", f"{result.value} ({detail})")
        await _record(call, attempt_id, result, detail)


async def _record(call: IvrCall, attempt_id: int, result: FeedbackResult, detail: str) -> None:
    status = await call.services.db.run(functools.partial(
        queries.record_feedback, attempt_id=attempt_id, result=result.value,
        uniqueid=call.uniqueid, detail=detail))
    log.info("feedback try %s: %s -> complaint %s", attempt_id, result.value, status)
