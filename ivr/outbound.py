"""The calls the helpline places: the worker's satisfaction-call and call-back jobs. Each asks the
domain what to dial (models/calls/feedback.py, models/calls/callbacks.py), files the try, and has
Asterisk originate it into its context (`helpline-feedback`, `helpline-callback`), where an IVR
flow reads the result back; a call the network refuses runs the context's `failed` extension,
which reports it the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from ivr.ami import queue, wallboard
from ivr.ami.client import AmiError, AmiMessage, AsteriskUnavailable, run_action
from models.calls import callbacks, feedback
from models.calls.presence import AgentState
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import Settings, get_settings

log = logging.getLogger(__name__)

RING_TIMEOUT_MS = 40_000
FEEDBACK_CONTEXT = "helpline-feedback"
CALLBACK_CONTEXT = "helpline-callback"

Originate = Callable[[Mapping[str, object]], object]


def dial_string(settings: Settings, number: str) -> str:
    """HELPLINE_OUTBOUND_CHANNEL with the citizen's number: `PJSIP/9876543210@trunk`."""
    return settings.outbound_channel.format(number=number)


def _originate(settings: Settings, number: str, context: str, variables: list[str]) -> dict:
    """AMI Originate, asynchronous (the worker never waits for the ring), showing the helpline's
    number."""
    caller_id = settings.carrier_caller_id or "1100"
    return {"Action": "Originate", "Channel": dial_string(settings, number), "Context": context,
            "Exten": "s", "Priority": 1, "Timeout": RING_TIMEOUT_MS,
            "CallerID": f'"CM Helpline" <{caller_id}>', "Async": "true", "Variable": variables}


def feedback_originate(settings: Settings, call: feedback.CallToPlace, attempt_id: int) -> dict:
    return _originate(settings, call.mobile, FEEDBACK_CONTEXT, [
        f"HELPLINE_COMPLAINT={call.public_id}", f"HELPLINE_LANG={call.language}",
        f"HELPLINE_FEEDBACK_ATTEMPT={attempt_id}"])


def callback_originate(settings: Settings, call: callbacks.CallbackToPlace) -> dict:
    return _originate(settings, call.mobile, CALLBACK_CONTEXT, [
        f"__HELPLINE_DRAFT={call.public_id}", f"HELPLINE_LANG={call.language}",
        f"HELPLINE_CALLBACK={call.callback_id}", f"HELPLINE_CALLBACK_NUMBER={call.mobile}"])


def place_feedback_calls(*, database: Database | None = None, now: datetime | None = None,
                         settings: Settings | None = None, originate: Originate | None = None) -> int:
    """One pass: lost tries expire, complaints whose last try went unanswered close, due tries are
    filed and dialled; returns how many were dialled.
    Each complaint is its own transaction; Asterisk being down files the try as not placed (the
    citizen keeps every try) and stops the pass."""
    database, now = database or default_database(), now or utcnow()
    settings = settings or get_settings()
    policy = feedback.FeedbackPolicy.from_settings(settings)
    originate = originate or (lambda action: run_action(settings, action))
    with database.unit_of_work() as uow:
        feedback.expire_lost(session=uow.session, now=now)
        feedback.close_unanswered(session=uow.session, now=now, policy=policy)
        due = feedback.calls_to_place(session=uow.session, now=now, policy=policy)
        uow.commit()
    placed = 0
    for call in due:
        with database.unit_of_work() as uow:
            attempt = feedback.place(session=uow.session, call=call, now=now)
            uow.commit()
            attempt_id = attempt.id
        try:
            originate(feedback_originate(settings, call, attempt_id))
        except (AsteriskUnavailable, AmiError, OSError) as exc:
            log.warning("feedback call for %s not placed: %s", call.public_id, exc)
            with database.unit_of_work() as uow:
                feedback.record_result(session=uow.session, now=now,
                                       attempt=feedback.get_attempt(session=uow.session, attempt_id=attempt_id),
                                       result=feedback.FeedbackResult.NOT_PLACED, detail=str(exc))
                uow.commit()
            break
        placed += 1
    if placed:
        log.info("feedback calls placed: %d", placed)
    return placed


def free_agents(settings: Settings) -> int:
    """Agents in the queue, available (not paused, not on a call: the wallboard's reading of
    QueueStatus); none while callers are waiting (they come before the call-backs)."""
    board = wallboard.read_board(run_action(settings, queue.status()), AmiMessage())
    if board.waiting:
        return 0
    return sum(1 for agent in board.agents if agent.state == AgentState.AVAILABLE.value)


def place_callbacks(*, database: Database | None = None, now: datetime | None = None,
                    settings: Settings | None = None, originate: Originate | None = None,
                    agents: Callable[[], int] | None = None) -> int:
    """One pass: call back as many waiting callers as there are free agents; returns how many.
    Asterisk down: nothing is dialled and the list stays as it is."""
    database, now = database or default_database(), now or utcnow()
    settings = settings or get_settings()
    originate = originate or (lambda action: run_action(settings, action))
    with database.unit_of_work() as uow:
        callbacks.expire_lost(session=uow.session, now=now)
        callbacks.give_up(session=uow.session, tries=settings.feedback_tries)
        uow.commit()
        if not callbacks.any_due(session=uow.session, now=now):
            return 0  # nobody to call: Asterisk is not asked
    try:
        free = (agents or (lambda: free_agents(settings)))()
    except (AsteriskUnavailable, AmiError, OSError) as exc:
        log.warning("call-backs wait: %s", exc)
        return 0
    with database.unit_of_work() as uow:
        due = callbacks.next_to_place(session=uow.session, now=now, free_agents=free)
        for call in due:
            callbacks.dialled(session=uow.session, callback_id=call.callback_id, now=now)
        uow.commit()
    placed = 0
    for call in due:
        try:
            originate(callback_originate(settings, call))
            placed += 1
        except (AsteriskUnavailable, AmiError, OSError) as exc:
            log.warning("call-back %s not placed: %s", call.callback_id, exc)
            with database.unit_of_work() as uow:
                callbacks.record_result(session=uow.session, callback_id=call.callback_id,
                                        answered=False, detail="not placed", now=now)
                uow.commit()
    return placed
