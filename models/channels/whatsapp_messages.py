"""Every WhatsApp message in and out, kept once per Cloud API message id and linked to the
complaint it concerns. Replies wait here until the sender hands them on (whatsapp_sender.py),
with the SMS outbox's retry and dead-letter rules."""

from __future__ import annotations

import enum
import logging
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.complaint import Complaint
from models.complaints.service import record
from models.core.base import Base, utcnow

log = logging.getLogger(__name__)


class Direction(str, enum.Enum):
    IN = "in"
    OUT = "out"


class Delivery(str, enum.Enum):
    RECEIVED = "received"  # an inbound message
    QUEUED = "queued"
    SENDING = "sending"  # handed to the adapter, its answer not yet recorded (as an SMS's)
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


class WhatsAppMessage(Base):
    __tablename__ = "whatsapp_messages"
    __table_args__ = (Index("ix_whatsapp_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wa_message_id: Mapped[str | None] = mapped_column(String(128), unique=True, default=None)
    direction: Mapped[Direction]
    wa_id: Mapped[str] = mapped_column(String(20), index=True)  # the citizen's WhatsApp number
    kind: Mapped[str] = mapped_column(String(20), default="text")  # text, image, location, …
    body: Mapped[str] = mapped_column(Text, default="")
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), default=None, index=True)
    status: Mapped[Delivery] = mapped_column(default=Delivery.RECEIVED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    dead_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_as: Mapped[str | None] = mapped_column(String(20), default=None)  # cloud_api | sms
    # An inbound photo or document, fetched from the Cloud API and stored as the complaint's attachment.
    media_stored_at: Mapped[datetime | None] = mapped_column(default=None)


def seen(*, session: Session, wa_message_id: str) -> bool:
    """Whether this Cloud API message was taken in already (deliveries are retried)."""
    return session.scalars(select(WhatsAppMessage.id)
                           .where(WhatsAppMessage.wa_message_id == wa_message_id)).first() is not None


def take_in(*, session: Session, wa_message_id: str, wa_id: str, kind: str, body: str,
            at: datetime | None = None) -> WhatsAppMessage:
    message = WhatsAppMessage(wa_message_id=wa_message_id, direction=Direction.IN, wa_id=wa_id,
                              kind=kind, body=body, created_at=at or utcnow())
    session.add(message)
    session.flush()
    return message


def queue_reply(*, session: Session, wa_id: str, body: str, complaint: Complaint | None = None,
                at: datetime | None = None) -> WhatsAppMessage:
    """A reply to the citizen, sent after the commit by the WhatsApp sender."""
    at = at or utcnow()
    message = WhatsAppMessage(direction=Direction.OUT, wa_id=wa_id, body=body, status=Delivery.QUEUED,
                              created_at=at, next_attempt_at=at)
    session.add(message)
    session.flush()
    if complaint is not None:
        link(session=session, message=message, complaint=complaint)
    return message


def link(*, session: Session, message: WhatsAppMessage, complaint: Complaint) -> None:
    """Tie the message to its complaint and show it on the complaint's timeline."""
    if message.complaint_id == complaint.id:
        return
    message.complaint_id = complaint.id
    action = "whatsapp_in" if message.direction is Direction.IN else "whatsapp_out"
    record(session=session, complaint=complaint, actor=f"whatsapp:{message.wa_id}",
           channel="whatsapp", action=action,
           note=message.body if message.kind == "text" else f"[{message.kind}] {message.body}")


def of_ids(*, session: Session, ids: list[int]) -> list[WhatsAppMessage]:
    return list(session.scalars(select(WhatsAppMessage).where(WhatsAppMessage.id.in_(ids or [0]))
                                .order_by(WhatsAppMessage.id)))


def for_complaint(*, session: Session, complaint: Complaint) -> list[WhatsAppMessage]:
    return list(session.scalars(select(WhatsAppMessage)
                                .where(WhatsAppMessage.complaint_id == complaint.id)
                                .order_by(WhatsAppMessage.id)))
