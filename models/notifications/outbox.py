"""The SMS outbox: messages to citizens, written in the same transaction as the change they report.

A row exists exactly when the change it announces was committed (a transactional outbox); the
sender (`models/notifications/sender.py`) picks up due rows after the commit. A row is queued,
then sending while the gateway has it, then sent, or failed and retried later with back-off, or
dead after the last try allowed.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.complaint import Complaint
from models.core import rows
from models.core.base import Base, utcnow
from models.notifications.templates import SmsEvent, render

log = logging.getLogger(__name__)


class OutboxStatus(str, enum.Enum):
    QUEUED = "queued"    # not yet tried
    SENDING = "sending"  # handed to the gateway, its answer not yet recorded; left so by a worker
                         # that died meanwhile (outcome unknown): never sent again by itself
    SENT = "sent"        # the gateway accepted it
    FAILED = "failed"  # tried, refused; tried again at next_attempt_at
    DEAD = "dead"      # refused on every try allowed; waits for an administrator


class OutboxMessage(Base):
    __tablename__ = "sms_outbox"
    __table_args__ = (Index("ix_sms_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mobile: Mapped[str] = mapped_column(String(15), index=True)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="hi")
    kind: Mapped[str] = mapped_column(String(30), default="registered")
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), default=None, index=True)
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.QUEUED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    dead_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


def queue_sms(*, session: Session, mobile: str, body: str, language: str = "hi",
              kind: str = "registered", complaint: Complaint | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction."""
    return rows.insert_loaded(session, OutboxMessage, dict(  # written now, without the unit of work
        mobile=mobile, body=body, language=language, kind=kind, complaint_id=complaint.id if complaint else None))


def complaint_sms(complaint, event: SmsEvent | str, **values: str) -> dict:
    """The outbox row's columns of the citizen's SMS about `event` on `complaint` (anything with its
    columns), in the complaint's language (`values`: the template's other parts, such as an interim
    reply's `text`)."""
    from models.reference.calendar import to_local

    event = SmsEvent(event)
    due = to_local(complaint.due_at).strftime("%d-%m-%Y") if complaint.due_at else "-"
    language = complaint.language if complaint.language in ("hi", "en") else "hi"
    return dict(mobile=complaint.mobile, language=language, kind=event.value, complaint_id=complaint.id,
                body=render(event, language, id=complaint.public_id, due=due, **values))


def queue_complaint_sms(*, session: Session, complaint: Complaint, event: SmsEvent | str,
                        **values: str) -> OutboxMessage:
    """The citizen's SMS about `event` on `complaint`, in the complaint's language, in the caller's
    transaction."""
    return rows.insert_loaded(session, OutboxMessage, complaint_sms(complaint, event, **values))


def queue_registration_sms(*, session: Session, complaint: Complaint) -> OutboxMessage:
    """The citizen's 'your complaint is registered' SMS, in the complaint's language."""
    return queue_complaint_sms(session=session, complaint=complaint, event=SmsEvent.REGISTERED)


def unsent(*, session: Session, limit: int = 100) -> list[OutboxMessage]:
    """The oldest messages not yet sent (queued, failed or dead)."""
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.status != OutboxStatus.SENT)
                                .order_by(OutboxMessage.id).limit(limit)))


def for_complaint(*, session: Session, complaint: Complaint) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage)
                                .where(OutboxMessage.complaint_id == complaint.id)
                                .order_by(OutboxMessage.id)))
