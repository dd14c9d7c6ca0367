"""The WhatsApp replies as administrators see them: how many in each state, the newest, and a
dead one (or one of unknown outcome) given a fresh set of tries (the SMS outbox's rules, models/notifications/monitor.py)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.channels.whatsapp_messages import Delivery, Direction, WhatsAppMessage
from models.notifications.monitor import NotDead, left_by_a_dead_worker

log = logging.getLogger(__name__)
SHOWN = (Delivery.QUEUED, Delivery.SENDING, Delivery.SENT, Delivery.FAILED, Delivery.DEAD)


def counts(*, session: Session) -> dict[str, int]:
    """Replies in each state (every state listed, 0 when none)."""
    found = dict(session.execute(select(WhatsAppMessage.status, func.count())
                                 .where(WhatsAppMessage.direction == Direction.OUT)
                                 .group_by(WhatsAppMessage.status)).all())
    return {status.value: found.get(status, 0) for status in SHOWN}


def replies(*, session: Session, status: Delivery | None = None, limit: int = 200) -> list[WhatsAppMessage]:
    """The newest replies, of one state or all."""
    query = (select(WhatsAppMessage).where(WhatsAppMessage.direction == Direction.OUT)
             .order_by(WhatsAppMessage.id.desc()).limit(limit))
    return list(session.scalars(query if status is None else query.where(WhatsAppMessage.status == status)))


def outcome_unknown(message: WhatsAppMessage, now: datetime) -> bool:
    """Whether the reply was handed on by a worker that died before the answer was recorded."""
    return message.status is Delivery.SENDING and left_by_a_dead_worker(message.last_attempt_at, now)


def retry(*, session: Session, message_id: int, now: datetime) -> WhatsAppMessage | None:
    """Queue a dead reply, or one of unknown outcome, again, starting now (its last error kept);
    None when there is no such reply; NotDead when it is neither."""
    message = session.get(WhatsAppMessage, message_id)
    if message is None or message.direction is not Direction.OUT:
        return None
    if message.status is not Delivery.DEAD and not outcome_unknown(message, now):
        raise NotDead(f"WhatsApp reply {message.id} is {message.status.value}, not dead")
    message.status, message.attempts = Delivery.QUEUED, 0
    message.next_attempt_at, message.dead_at = now, None
    log.info("WhatsApp reply %s queued again by an administrator", message.id)
    return message
