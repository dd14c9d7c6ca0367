"""Alerts to officers: the 75 % warning, beyond L4, the transfer cap, a ping-pong between departments."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.complaints.complaint import Complaint
from models.core.base import Base, utcnow


class AlertKind(str, enum.Enum):
    WARNING = "warning"              # 75 % of the time allowed has gone
    BEYOND_L4 = "beyond_l4"          # overdue at L4: stays with the secretary, listed
    L3_OVERDUE = "l3_overdue"        # overdue at L3 while L3 -> L4 is manual: refer it
    TRANSFER_CAP = "transfer_cap"    # transferred as often as allowed: the department keeps it
    PING_PONG = "ping_pong"          # moved between the same two departments again
    REQUEST = "request"              # more time, a pause or a special closure awaits a decision


class Alert(Base):
    __tablename__ = "complaint_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One alert per key: a sweep run twice, or by two workers, alerts once.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[AlertKind]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True, default=None)
    level: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(default=None)

    complaint = relationship("Complaint")
    officer = relationship("Officer")


def raise_alert(*, session: Session, kind: AlertKind, complaint: Complaint, officer_id: int | None,
                key: str, note: str = "", at: datetime | None = None) -> Alert | None:
    """Alert `officer_id` about `complaint` once per `key`; None when that alert was already raised."""
    row = alert_row(kind=kind, complaint=complaint, officer_id=officer_id, key=key, note=note,
                    at=at or utcnow())
    if session.scalars(select(Alert.id).where(Alert.key == row["key"])).first() is not None:
        return None
    alert = Alert(**row)
    session.add(alert)
    session.flush()
    return alert


def alert_row(*, kind: AlertKind, complaint, officer_id: int | None, key: str, note: str,
              at: datetime) -> dict:
    """The columns of the alert about `complaint` (anything with its columns); its `key` is unique
    per kind and complaint."""
    return dict(key=f"{kind.value}:{complaint.id}:{key}", kind=kind, complaint_id=complaint.id,
                officer_id=officer_id, level=complaint.level, note=note, created_at=at)


def alerts_for(*, session: Session, officer_id: int, limit: int = 100) -> list[Alert]:
    """The officer's alerts, newest first."""
    return list(session.scalars(select(Alert).where(Alert.officer_id == officer_id)
                                .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)))


def alerts_of(*, session: Session, complaint: Complaint) -> list[Alert]:
    """Every alert raised about the complaint, oldest first."""
    return list(session.scalars(select(Alert).where(Alert.complaint_id == complaint.id)
                                .order_by(Alert.id)))
