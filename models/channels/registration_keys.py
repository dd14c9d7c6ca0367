"""A client system's key for one registration through the API (its `Idempotency-Key` header): the
same key sent again — a retry after an answer lost to a crash or a cut connection — gets the
complaint first registered with it, never a second complaint. Keys are the client's own, per token."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.core.base import Base, utcnow

log = logging.getLogger(__name__)
MAX_LENGTH = 100
FIELD = "Idempotency-Key"


class RegistrationKey(Base):
    __tablename__ = "registration_keys"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_registration_keys_token_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"))
    key: Mapped[str] = mapped_column(String(MAX_LENGTH))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def checked(key: str) -> str:
    """The key as sent: 1 to 100 printable ASCII characters; InvalidField naming the header if not."""
    if not 0 < len(key) <= MAX_LENGTH or not all(" " < ch <= "~" for ch in key):
        raise InvalidField(FIELD, f"must be 1 to {MAX_LENGTH} printable ASCII characters without spaces",
                           code="invalid")
    return key


def registered_with(*, session: Session, token_id: int, key: str) -> Complaint | None:
    """The complaint this client registered with `key`, if any."""
    return session.scalars(select(Complaint).join(RegistrationKey, RegistrationKey.complaint_id == Complaint.id)
                           .where(RegistrationKey.token_id == token_id, RegistrationKey.key == key)).first()


def remember(*, session: Session, token_id: int, key: str, complaint: Complaint) -> None:
    """File `key` for `complaint` in the registration's own transaction (flushed: a concurrent
    request with the same key fails here, on the unique constraint)."""
    session.add(RegistrationKey(token_id=token_id, key=key, complaint_id=complaint.id))
    session.flush()
