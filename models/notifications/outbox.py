"""The SMS outbox: messages to citizens, written in the same transaction as the change they report.

A row exists exactly when the registration it announces was committed (a transactional outbox);
a sender, added later, picks up unsent rows after the commit and marks them sent.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.complaint import Complaint
from models.core.base import Base, utcnow

log = logging.getLogger(__name__)

REGISTERED_HI = ("मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} दर्ज हो गई है। "
                 "निराकरण की अंतिम तिथि {due}।")
REGISTERED_EN = ("CM Helpline: your complaint {id} is registered. "
                 "It is due for resolution by {due}.")


class OutboxMessage(Base):
    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    mobile: Mapped[str] = mapped_column(String(15), index=True)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="hi")
    kind: Mapped[str] = mapped_column(String(30), default="registered")
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


def queue_sms(*, session: Session, mobile: str, body: str, language: str = "hi",
              kind: str = "registered", complaint: Complaint | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction."""
    message = OutboxMessage(mobile=mobile, body=body, language=language, kind=kind,
                            complaint_id=complaint.id if complaint else None)
    session.add(message)
    session.flush()
    return message


def queue_registration_sms(*, session: Session, complaint: Complaint) -> OutboxMessage:
    """The citizen's 'your complaint is registered' SMS, in the complaint's language."""
    from models.reference.calendar import to_local

    due = to_local(complaint.due_at).strftime("%d-%m-%Y") if complaint.due_at else "-"
    template = REGISTERED_HI if complaint.language == "hi" else REGISTERED_EN
    return queue_sms(session=session, mobile=complaint.mobile, language=complaint.language,
                     body=template.format(id=complaint.public_id, due=due), complaint=complaint)


def unsent(*, session: Session, limit: int = 100) -> list[OutboxMessage]:
    """The oldest messages not yet sent, for the sender."""
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
                                .order_by(OutboxMessage.id).limit(limit)))


def for_complaint(*, session: Session, complaint: Complaint) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage)
                                .where(OutboxMessage.complaint_id == complaint.id)
                                .order_by(OutboxMessage.id)))
