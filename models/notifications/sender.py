"""The SMS sender: due outbox rows go to the gateway, each claimed in a transaction of its own.

A row is claimed with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers
with BEGIN IMMEDIATE) and marked `sending` in a committed transaction; only then is it handed to
the gateway, outside any transaction, and the answer recorded in a second one. Two workers never
send one row twice, and neither does a worker restarted after a crash between the two: the row
stays `sending`, its outcome unknown, for an administrator (docs/notifications.md). A refused row
is tried again after `sms_backoff_s`, doubling each time, and is dead after `sms_max_attempts` tries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import Settings, get_settings
from models.notifications.gateway import Gateway, GatewayError, Sms, gateway_from_settings
from models.notifications.outbox import OutboxMessage, OutboxStatus
from models.notifications.templates import template_id, template_key

log = logging.getLogger(__name__)
DUE = (OutboxStatus.QUEUED, OutboxStatus.FAILED)
MAX_BACKOFF = timedelta(hours=6)


def due_ids(*, session: Session, now: datetime, limit: int) -> list[int]:
    """Up to `limit` rows whose time to be tried has come, oldest first."""
    query = (select(OutboxMessage.id)
             .where(OutboxMessage.status.in_(DUE), OutboxMessage.next_attempt_at <= now)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    return list(session.scalars(query))


def backoff(*, settings: Settings, attempts: int) -> timedelta:
    """The wait after the `attempts`-th refusal: sms_backoff_s, doubled each time, at most 6 hours."""
    return min(timedelta(seconds=settings.sms_backoff_s * 2 ** (attempts - 1)), MAX_BACKOFF)


def as_sms(message: OutboxMessage, *, settings: Settings) -> Sms:
    return Sms(to=f"+91{message.mobile}" if len(message.mobile) == 10 else message.mobile,
               text=message.body, sender=settings.sms_sender, key=f"sms-outbox-{message.id}",
               template_id=template_id(settings, message.kind, message.language))


def claim(*, session: Session, message_id: int, now: datetime) -> OutboxMessage | None:
    """The row, marked `sending` and counted as a try; None when it is not due or another worker
    holds it."""
    query = select(OutboxMessage).where(OutboxMessage.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    message = session.scalars(query).first()
    if message is None or message.status not in DUE or message.next_attempt_at > now:
        return None
    message.status, message.attempts, message.last_attempt_at = OutboxStatus.SENDING, message.attempts + 1, now
    return message


def record_outcome(*, message: OutboxMessage, now: datetime, error: Exception | None,
                   settings: Settings) -> OutboxStatus:
    """The gateway's answer on a row being sent: sent, or refused (tried again later, or dead)."""
    if error is None:
        message.status, message.sent_at = OutboxStatus.SENT, now
        return message.status
    message.last_error = str(error) if isinstance(error, GatewayError) else f"{type(error).__name__}: {error}"
    if message.attempts >= settings.sms_max_attempts:
        message.status, message.dead_at = OutboxStatus.DEAD, now
        log.error("SMS %s dead after %d tries: %s", message.id, message.attempts, error)
    else:
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = now + backoff(settings=settings, attempts=message.attempts)
        log.warning("SMS %s refused (try %d): %s", message.id, message.attempts, error)
    return message.status


def send_one(*, database: Database, message_id: int, now: datetime, gateway: Gateway,
             settings: Settings) -> OutboxStatus | None:
    """Try one row; its new status, or None when it is not due or another worker holds it.

    The claim is committed before the gateway is asked, and the answer recorded after: a worker
    killed in between leaves the row `sending` (its outcome unknown, shown to administrators),
    never due again by itself — a message is handed to the gateway at most once."""
    with database.unit_of_work() as uow:
        message = claim(session=uow.session, message_id=message_id, now=now)
        if message is None:
            return None
        sms = as_sms(message, settings=settings)
        if not sms.template_id and gateway.name != "log":  # refused here: the gateway is not asked
            status = record_outcome(message=message, now=now, settings=settings, error=GatewayError(
                f"no DLT template id for {template_key(message.kind, message.language)} in HELPLINE_SMS_TEMPLATE_IDS"))
            uow.commit()
            return status
        uow.commit()
    error = None
    try:
        gateway.send(sms)
    except Exception as exc:  # any failure of the adapter is a refused try, counted, never a silent loop
        if not isinstance(exc, GatewayError):
            log.exception("SMS %s: the gateway adapter failed", message_id)
        error = exc
    with database.unit_of_work() as uow:
        status = record_outcome(message=uow.session.get(OutboxMessage, message_id), now=now, error=error,
                                settings=settings)
        uow.commit()
    return status


def send_due_sms(*, database: Database | None = None, now: datetime | None = None,
                 gateway: Gateway | None = None, settings: Settings | None = None,
                 batch: int = 100) -> int:
    """One pass of the sender, each row claimed in its own transaction; returns how many rows were
    tried."""
    database = database or default_database()
    settings = settings or get_settings()
    gateway = gateway or gateway_from_settings(settings)
    with database.unit_of_work() as uow:
        ids = due_ids(session=uow.session, now=now or utcnow(), limit=batch)
    return each_in_turn(ids, lambda message_id, at: send_one(
        database=database, message_id=message_id, now=at, gateway=gateway, settings=settings), "SMS", now)


def each_in_turn(ids: list[int], send: Callable[[int, datetime], object], what: str,
                 now: datetime | None) -> int:
    """`send(id, at)` for each id (it opens its own transactions) as of `now`, or of the moment it
    is taken (so a try's time is when it began, however long the pass); how many were tried
    (answered other than None). One failure is logged and skipped; the pass goes on."""
    tried = 0
    for message_id in ids:
        try:
            if send(message_id, now or utcnow()) is not None:
                tried += 1
        except Exception:
            log.exception("%s %s: sending failed", what, message_id)
    return tried
