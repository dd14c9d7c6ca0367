"""The complaint and its append-only history."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.complaints.status import ComplaintStatus
from models.core.base import Base, append_only, utcnow


class Channel(str, enum.Enum):
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    PORTAL = "portal"
    CM_JANDARSHAN = "cm_jandarshan"
    COLLECTOR_JANDARSHAN = "collector_jandarshan"
    COUNTER = "counter"  # a citizen registered in person, without a call
    OPEN311 = "open311"  # another system's request through Open311 GeoReport v2

    @property
    def label_hi(self) -> str:
        return CHANNEL_HI[self]


CHANNEL_HI = {
    Channel.PHONE: "दूरभाष", Channel.WHATSAPP: "व्हाट्सएप", Channel.PORTAL: "पोर्टल",
    Channel.CM_JANDARSHAN: "मुख्यमंत्री जनदर्शन", Channel.COLLECTOR_JANDARSHAN: "कलेक्टर जनदर्शन",
    Channel.COUNTER: "काउंटर", Channel.OPEN311: "ओपन311",
}


_RUNNING_SQL = ("status IN ('assigned', 'in_progress', 'escalated', 'reopened') "
                "AND overdue_flagged_at IS NULL")
_OPEN_SQL = ("status IN ('registered', 'assigned', 'in_progress', 'escalated', 'returned', 'reopened', "
             "'with_nodal', 'paused')")

_HAS_HEARING = "hearing_id IS NOT NULL"


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_status_due", "status", "due_at"),
        Index("ix_complaints_dept_level", "department_code", "level"),
        # The clock's and the officers' reads stay proportional to what they return, not to the
        # table (docs/PERFORMANCE.md): the overdue sweep walks the running complaints by due time,
        # an officer's open complaints come by due time.
        Index("ix_complaints_running_due", "due_at",
              postgresql_where=text(_RUNNING_SQL), sqlite_where=text(_RUNNING_SQL)),
        Index("ix_complaints_officer_due", "officer_id", "due_at",  # + place: the workspace's total (0028)
              postgresql_where=text(_OPEN_SQL), sqlite_where=text(_OPEN_SQL),
              postgresql_include=["department_code", "district_code"]),
        # Migration 0019: Open311's newest requests; a department's and a district's workspace by
        # due time; the secretary's figures from the index alone.
        Index("ix_complaints_created", "created_at"),
        Index("ix_complaints_category_created", "category_code", "created_at"),
        Index("ix_complaints_dept_open_due", "department_code", "due_at",
              postgresql_where=text(_OPEN_SQL), sqlite_where=text(_OPEN_SQL)),
        Index("ix_complaints_dept_district_open_due", "department_code", "district_code", "due_at",
              postgresql_where=text(_OPEN_SQL), sqlite_where=text(_OPEN_SQL)),
        Index("ix_complaints_dept_status", "department_code", "status", "resolved_level"),
        # Migration 0026: only a Jandarshan complaint has a hearing; an escalation writes no entry here.
        Index("ix_complaints_hearing_id", "hearing_id",
              postgresql_where=text(_HAS_HEARING), sqlite_where=text(_HAS_HEARING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(10), unique=True)
    channel: Mapped[Channel]
    status: Mapped[ComplaintStatus]  # by ix_complaints_status_due's first column
    language: Mapped[str] = mapped_column(String(2), default="hi")

    citizen_name: Mapped[str] = mapped_column(String(120), default="")
    mobile: Mapped[str] = mapped_column(String(15), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), index=True, default=None)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"), default=None)
    address: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")

    recording_path: Mapped[str | None] = mapped_column(String(255), default=None)
    transcript: Mapped[str | None] = mapped_column(Text, default=None)
    transcript_confidence: Mapped[float | None] = mapped_column(default=None)
    callback_requested: Mapped[bool] = mapped_column(default=False)

    category_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"), default=None)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), default=None)
    level: Mapped[int | None] = mapped_column(default=None)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True, default=None)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_level: Mapped[int | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
    hearing_id: Mapped[int | None] = mapped_column(default=None)  # Jandarshan hearing
    # The clock at the current level (models/complaints/clock.py).
    level_started_at: Mapped[datetime | None] = mapped_column(default=None)
    warn_at: Mapped[datetime | None] = mapped_column(default=None, index=True)  # the 75 % warning
    overdue_flagged_at: Mapped[datetime | None] = mapped_column(default=None)  # missed, not moved
    pause_reason: Mapped[str | None] = mapped_column(String(30), default=None)
    pause_ends_at: Mapped[datetime | None] = mapped_column(default=None)
    transfer_count: Mapped[int] = mapped_column(default=0, server_default="0")
    reopen_count: Mapped[int] = mapped_column(default=0, server_default="0")
    closure_reason: Mapped[str | None] = mapped_column(String(30), default=None)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_at: Mapped[datetime | None] = mapped_column(default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    in_progress_at: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    returned_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    reopened_at: Mapped[datetime | None] = mapped_column(default=None)
    paused_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    rejected_at: Mapped[datetime | None] = mapped_column(default=None)
    last_action_at: Mapped[datetime] = mapped_column(default=utcnow)

    district = relationship("District")
    block = relationship("Block")
    category = relationship("Category")
    department = relationship("Department")
    officer = relationship("Officer")
    history: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="save-update, merge")


class ComplaintEvent(Base):
    """One row per change of a complaint: who, when, what, from which channel. Never updated."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))          # "user:agent1", "ivr", "system", "api:name"
    channel: Mapped[str] = mapped_column(String(30))        # where the change came from
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str | None] = mapped_column(String(20), default=None)
    level: Mapped[int | None] = mapped_column(default=None)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    complaint: Mapped[Complaint] = relationship(back_populates="history")


class HistoryIsAppendOnly(Exception):
    """A history row may be added, never changed or removed."""


append_only(ComplaintEvent, HistoryIsAppendOnly, "complaint history")  # the database refuses too (0015)


class ComplaintSequence(Base):
    """The last sequence number handed out per year, for complaint IDs."""

    __tablename__ = "complaint_sequences"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
