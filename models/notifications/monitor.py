"""What administrators and /healthz see of the outbox, and the retry of a dead message or of one
whose outcome is unknown."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core.base import utcnow
from models.notifications.outbox import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
# Far longer than one send can take (the gateway's timeout, HELPLINE_SMS_TIMEOUT_S; a try's time
# is when it began): a row still `sending` after this was left by a worker that died, and whether
# it went out is unknown.
UNKNOWN_AFTER = timedelta(hours=1)


class NotDead(Exception):
    """Only a dead message (or an SMS whose outcome is unknown) can be retried; the others are
    still the sender's."""

    code = "not_dead"


@dataclass(frozen=True)
class OutboxHealth:
    ok: bool                    # no dead message, none of unknown outcome, the latest try accepted
    counts: dict[str, int]      # per status
    last_error: str | None      # of the latest refused try
    last_failure_at: datetime | None
    last_sent_at: datetime | None
    unknown: int = 0            # messages of unknown outcome (outcome_unknown)


def counts(*, session: Session) -> dict[str, int]:
    """How many messages are in each status (every status listed, 0 when none)."""
    found = dict(session.execute(select(OutboxMessage.status, func.count())
                                 .group_by(OutboxMessage.status)).all())
    return {status.value: found.get(status, 0) for status in OutboxStatus}


def listing(*, session: Session, status: OutboxStatus | None = None, limit: int = 200) -> list[OutboxMessage]:
    """The newest messages, of one status or all."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(session.scalars(query))


def get(*, session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)


def outcome_unknown(message: OutboxMessage, now: datetime) -> bool:
    """Whether the message was handed to the gateway by a worker that died before the answer was
    recorded: it may or may not have gone out, and is not sent again unless an administrator says."""
    return message.status == OutboxStatus.SENDING and left_by_a_dead_worker(message.last_attempt_at, now)


def left_by_a_dead_worker(tried_at: datetime | None, now: datetime) -> bool:
    """Whether a send begun at `tried_at` and not yet answered was begun longer ago than any send
    can last (UNKNOWN_AFTER)."""
    return tried_at is not None and tried_at <= now - UNKNOWN_AFTER


def retry(*, session: Session, message: OutboxMessage, now: datetime) -> OutboxMessage:
    """Give a dead message, or one of unknown outcome (checked with the gateway first), a fresh set
    of tries, starting now (its last error is kept)."""
    if message.status != OutboxStatus.DEAD and not outcome_unknown(message, now):
        raise NotDead(f"SMS {message.id} is {message.status.value}, not dead")
    message.status, message.attempts = OutboxStatus.QUEUED, 0
    message.next_attempt_at, message.dead_at = now, None
    log.info("SMS %s queued again by an administrator", message.id)
    return message


def health(*, session: Session, now: datetime | None = None) -> OutboxHealth:
    """Whether the gateway is taking messages, as the outbox shows it."""
    by_status = counts(session=session)
    unknown = session.scalar(select(func.count()).where(
        OutboxMessage.status == OutboxStatus.SENDING,
        OutboxMessage.last_attempt_at <= (now or utcnow()) - UNKNOWN_AFTER)) or 0
    last_failure = session.execute(
        select(OutboxMessage.last_attempt_at, OutboxMessage.last_error)
        .where(OutboxMessage.status.in_((OutboxStatus.FAILED, OutboxStatus.DEAD)))
        .order_by(OutboxMessage.last_attempt_at.desc()).limit(1)).first()
    last_sent_at = session.scalar(select(func.max(OutboxMessage.sent_at)))
    failing = last_failure is not None and (last_sent_at is None or last_failure[0] > last_sent_at)
    return OutboxHealth(ok=by_status[OutboxStatus.DEAD.value] == 0 and not unknown and not failing,
                        counts=by_status, last_error=last_failure[1] if last_failure else None,
                        last_failure_at=last_failure[0] if last_failure else None,
                        last_sent_at=last_sent_at, unknown=unknown)
