"""The WhatsApp sender: queued replies go out through an adapter (whatsapp_cloud.py), each
claimed (`sending`) in a committed transaction before it is sent, with the SMS outbox's rules (back-off doubling from
HELPLINE_SMS_BACKOFF_S, dead after HELPLINE_SMS_MAX_ATTEMPTS, rows another worker holds skipped)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.channels.whatsapp_cloud import Adapter, Refused, adapter_from_settings
from models.channels.whatsapp_messages import Delivery, Direction, WhatsAppMessage
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import Settings, get_settings
from models.notifications.sender import backoff, each_in_turn

log = logging.getLogger(__name__)
DUE = (Delivery.QUEUED, Delivery.FAILED)


def claim(session: Session, message_id: int) -> WhatsAppMessage | None:
    """The message, held for this transaction; None when another worker holds it (PostgreSQL)."""
    query = select(WhatsAppMessage).where(WhatsAppMessage.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def one_by_one(database: Database, ids: list[int], work: Callable[[Session, int], object], what: str) -> int:
    """`work` on each id in its own transaction, committed unless it answers None; one failure is
    logged and the others still run. Returns how many were committed."""
    done = 0
    for message_id in ids:
        with database.unit_of_work() as uow:
            try:
                if work(uow.session, message_id) is not None:
                    uow.commit()
                    done += 1
            except Exception:
                log.exception("%s of WhatsApp message %s failed", what, message_id)
    return done


def record_outcome(*, message: WhatsAppMessage, now: datetime, error: Exception | None,
                   wa_message_id: str | None, adapter: Adapter, settings: Settings) -> Delivery:
    """The adapter's answer on a reply being sent: sent, or refused (tried again later, or dead)."""
    if error is None:
        message.status, message.sent_at, message.sent_as = Delivery.SENT, now, adapter.name
        message.wa_message_id = wa_message_id
        return message.status
    message.last_error = str(error) if isinstance(error, Refused) else f"{type(error).__name__}: {error}"
    if message.attempts >= settings.sms_max_attempts:
        message.status, message.dead_at = Delivery.DEAD, now
    else:
        message.status = Delivery.FAILED
        message.next_attempt_at = now + backoff(settings=settings, attempts=message.attempts)
    log.warning("WhatsApp %s refused (try %d): %s", message.id, message.attempts, error)
    return message.status


def send_one(*, database: Database, message_id: int, now: datetime, adapter: Adapter,
             settings: Settings) -> Delivery | None:
    """Try one reply; its new status, or None when it is not due or another worker holds it.

    As with SMS (models/notifications/sender.py): the claim is committed, as `sending`, before the
    adapter is asked, and the answer recorded after; a worker killed in between leaves the reply
    `sending` (its outcome unknown, shown to administrators), never sent again by itself."""
    with database.unit_of_work() as uow:
        message = claim(uow.session, message_id)
        if message is None or message.status not in DUE or message.next_attempt_at > now:
            return None
        message.status, message.attempts, message.last_attempt_at = Delivery.SENDING, message.attempts + 1, now
        uow.commit()
    with database.unit_of_work() as uow:
        error, wa_message_id = None, None
        try:
            # The claimed row as read: the Cloud API only reads it (no transaction is open while it
            # answers); the SMS adapter's outbox row joins this transaction, with the outcome.
            wa_message_id = adapter.send(session=uow.session, message=message)
        except Exception as exc:  # any failure of the adapter is a refused try
            if not isinstance(exc, Refused):
                log.exception("WhatsApp %s: the adapter failed", message_id)
            uow.rollback()  # nothing the adapter half-wrote is kept
            error = exc
        status = record_outcome(message=uow.session.get(WhatsAppMessage, message_id), now=now, error=error,
                                wa_message_id=wa_message_id, adapter=adapter, settings=settings)
        uow.commit()
    return status


def send_due_whatsapp(*, database: Database | None = None, now: datetime | None = None,
                      adapter: Adapter | None = None, settings: Settings | None = None,
                      batch: int = 100) -> int:
    """One pass of the sender, each reply in its own transaction; returns how many were tried."""
    database = database or default_database()
    settings = settings or get_settings()
    adapter = adapter or adapter_from_settings(settings)
    with database.unit_of_work() as uow:
        ids = list(uow.session.scalars(
            select(WhatsAppMessage.id).where(WhatsAppMessage.direction == Direction.OUT,
                                             WhatsAppMessage.status.in_(DUE),
                                             WhatsAppMessage.next_attempt_at <= (now or utcnow()))
            .order_by(WhatsAppMessage.next_attempt_at, WhatsAppMessage.id).limit(batch)))
    return each_in_turn(ids, lambda message_id, at: send_one(
        database=database, message_id=message_id, now=at, adapter=adapter, settings=settings), "WhatsApp", now)
