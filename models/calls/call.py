"""A telephone call into the helpline and every step of its IVR journey."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.core.base import Base, utcnow


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    uniqueid: Mapped[str] = mapped_column(String(64), unique=True)  # Asterisk's
    caller_number: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str | None] = mapped_column(String(120), default=None)
    language: Mapped[str] = mapped_column(String(2), default="hi")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    recording_path: Mapped[str | None] = mapped_column(String(255), default=None)
    transcript: Mapped[str | None] = mapped_column(Text, default=None)
    transcript_confidence: Mapped[float | None] = mapped_column(default=None)
    queue_outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    queue_wait_seconds: Mapped[float | None] = mapped_column(default=None)
    agent: Mapped[str | None] = mapped_column(String(60), default=None)
    disposition: Mapped[str | None] = mapped_column(String(40), default=None)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), default=None)

    complaint = relationship("Complaint")
    steps: Mapped[list["CallStep"]] = relationship(back_populates="call", order_by="CallStep.id")


class CallStep(Base):
    """One thing that happened in the call: a prompt played, a key pressed, speech heard."""

    __tablename__ = "call_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))   # prompt, input, speech, recording, queue, lookup, error, event
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[str | None] = mapped_column(Text, default=None)

    call: Mapped[Call] = relationship(back_populates="steps")
