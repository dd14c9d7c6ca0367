"""The calls the helpline places: the worker's satisfaction-call job. It asks the domain what to
dial (models/calls/feedback.py), files each try, and has Asterisk originate it into the
`helpline-feedback` context, where the IVR's `feedback` flow reads the result back; a call the
network refuses runs that context's `failed` extension, which reports it the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from ivr.ami.client import AmiError, AsteriskUnavailable, run_action
from models.calls import feedback
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import Settings, get_settings

log = logging.getLogger(__name__)

RING_TIMEOUT_MS = 40_000
FEEDBACK_CONTEXT = "helpline-feedback"

Originate = Callable[[Mapping[str, object]], object]


def dial_string(settings: Settings, number: str) -> str:
    """HELPLINE_OUTBOUND_CHANNEL with the citizen's number: `PJSIP/9876543210@trunk`."""
    return settings.outbound_channel.format(number=number)


def feedback_originate(settings: Settings, call: feedback.CallToPlace, attempt_id: int) -> dict:
    """AMI Originate for one try: asynchronous, so the worker never waits for the ring."""
    caller_id = settings.carrier_caller_id or "1100"
    return {
        "Action": "Originate", "Channel": dial_string(settings, call.mobile),
        "Context": FEEDBACK_CONTEXT, "Exten": "s", "Priority": 1, "Timeout": RING_TIMEOUT_MS,
        "CallerID": f'"CM Helpline" <{caller_id}>', "Async": "true",
        "Variable": [f"HELPLINE_COMPLAINT={call.public_id}", f"HELPLINE_LANG={call.language}",
                     f"HELPLINE_FEEDBACK_ATTEMPT={attempt_id}"],
    }


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
