"""Explanations: an officer whose deadline passed must say why, on the helpline."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.complaints.complaint import Complaint
from models.core.base import Base, utcnow
from models.people.users import Role


class ExplanationStatus(str, enum.Enum):
    REQUESTED = "requested"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Explanation(Base):
    __tablename__ = "explanations"
    # One per missed deadline: per level, and again at that level after each reopening (round).
    __table_args__ = (UniqueConstraint("complaint_id", "level", "round",
                                       name="uq_explanations_complaint_level_round"),
                      # Only the times set: asking an explanation writes no entry in these two.
                      Index("ix_explanations_submitted_at", "submitted_at",
                            postgresql_where=sql_text("submitted_at IS NOT NULL"),
                            sqlite_where=sql_text("submitted_at IS NOT NULL")),
                      Index("ix_explanations_reviewed_at", "reviewed_at",
                            postgresql_where=sql_text("reviewed_at IS NOT NULL"),
                            sqlite_where=sql_text("reviewed_at IS NOT NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    level: Mapped[int]
    round: Mapped[int] = mapped_column(default=0, server_default="0")  # the complaint's reopen count
    missed_due_at: Mapped[datetime]
    # The times are indexed for the reports' roll-up, which finds by them the explanations that
    # changed or fell due since its last run (models/reports/jobs.py).
    due_at: Mapped[datetime | None] = mapped_column(default=None, index=True)  # submit by; overdue after
    status: Mapped[ExplanationStatus] = mapped_column(default=ExplanationStatus.REQUESTED)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    reviewer: Mapped[str | None] = mapped_column(String(80), default=None)
    review_note: Mapped[str] = mapped_column(Text, default="")

    complaint = relationship("Complaint")
    officer = relationship("Officer")


class ExplanationNotOpen(Exception):
    """The explanation is not in a state that allows this step."""

    code = "explanation_not_open"


def request_explanation(*, session: Session, complaint, officer_id: int, level: int,
                        missed_due_at: datetime, at: datetime | None = None,
                        days: int | None = None, calendar=None) -> Explanation:
    """Ask the officer who missed the deadline at `level` for an explanation: once per level, and
    once more after each reopening; it is due in `days` working days (HELPLINE_EXPLANATION_DAYS)
    on `calendar` (by default the working calendar, read now)."""
    from models.reference.holidays import working_calendar

    existing = session.scalars(select(Explanation).where(
        Explanation.complaint_id == complaint.id, Explanation.level == level,
        Explanation.round == (complaint.reopen_count or 0))).first()
    if existing:
        return existing
    explanation = Explanation(**explanation_row(
        complaint, officer_id=officer_id, level=level, missed_due_at=missed_due_at, at=at or utcnow(),
        calendar=calendar or working_calendar(session=session), days=days))
    session.add(explanation)
    session.flush()
    return explanation


def explanation_row(complaint, *, officer_id: int, level: int, missed_due_at: datetime,
                    at: datetime, calendar, days: int | None = None) -> dict:
    """The columns of the explanation asked of `officer_id` about `complaint` (anything with its
    columns), in its round (the reopen count), due `days` working days on `calendar` after `at`."""
    from models.core.settings import get_settings

    days = get_settings().explanation_days if days is None else days
    return dict(complaint_id=complaint.id, officer_id=officer_id, level=level,
                round=complaint.reopen_count or 0, missed_due_at=missed_due_at, requested_at=at,
                due_at=calendar.due_at(at, days))


def submit_explanation(*, session: Session, explanation: Explanation, text: str) -> Explanation:
    """The officer's account of why the deadline was missed."""
    if explanation.status != ExplanationStatus.REQUESTED:
        raise ExplanationNotOpen(f"explanation {explanation.id} is already {explanation.status.value}")
    if len(text.strip()) < 10:
        from models.complaints.intake import InvalidField
        raise InvalidField("text", "explain in at least 10 characters", code="too_short", limit=10)
    explanation.text = text.strip()
    explanation.status = ExplanationStatus.SUBMITTED
    explanation.submitted_at = utcnow()
    session.flush()
    return explanation


def review_explanation(*, session: Session, explanation: Explanation, accepted: bool,
                       reviewer: str, note: str = "") -> Explanation:
    """A senior officer accepts or rejects the explanation; both stay on record."""
    if explanation.status != ExplanationStatus.SUBMITTED:
        raise ExplanationNotOpen(f"explanation {explanation.id} is {explanation.status.value}")
    explanation.status = ExplanationStatus.ACCEPTED if accepted else ExplanationStatus.REJECTED
    explanation.reviewed_at = utcnow()
    explanation.reviewer = reviewer
    explanation.review_note = note
    session.flush()
    return explanation


def pending_for_officer(*, session: Session, officer_id: int) -> list[Explanation]:
    return list(session.scalars(select(Explanation).where(
        Explanation.officer_id == officer_id, Explanation.status == ExplanationStatus.REQUESTED)
        .order_by(Explanation.requested_at)))


def get_explanation(*, session: Session, explanation_id: int) -> Explanation | None:
    """The explanation with this id, or None."""
    return session.get(Explanation, explanation_id)


def may_submit(*, user, explanation: Explanation) -> bool:
    """Only the officer who missed the deadline explains it (`user`: anything with officer_id)."""
    return user.officer_id is not None and explanation.officer_id == user.officer_id


def _oversees_department(user) -> bool:
    return Role(user.role) in (Role.NODAL_OFFICER, Role.SECRETARY) and bool(user.department_code)


def may_review(*, user, explanation: Explanation) -> bool:
    """The officer now holding the complaint, or the department's nodal officer or secretary;
    never the officer who wrote it (`user`: anything with role, officer_id, department_code)."""
    complaint = explanation.complaint
    if may_submit(user=user, explanation=explanation):
        return False
    if _oversees_department(user) and complaint.department_code == user.department_code:
        return True
    return user.officer_id is not None and complaint.officer_id == user.officer_id


def _reviewed_by(user, *conditions):
    """Explanations matching `conditions` of complaints `user` now holds or oversees."""
    query = (select(Explanation).join(Complaint, Explanation.complaint_id == Complaint.id)
             .where(*conditions))
    if _oversees_department(user):
        return query.where(or_(Complaint.officer_id == user.officer_id,
                               Complaint.department_code == user.department_code))
    return query.where(Complaint.officer_id == user.officer_id)


def to_review(*, session: Session, user, limit: int = 200) -> list[Explanation]:
    """The submitted explanations `user` may review, the earliest submitted first."""
    query = _reviewed_by(user, Explanation.status == ExplanationStatus.SUBMITTED)
    rows = session.scalars(query.order_by(Explanation.submitted_at).limit(limit))
    return [row for row in rows if may_review(user=user, explanation=row)]


def overdue_to_review(*, session: Session, user, now: datetime | None = None,
                      limit: int = 200) -> list[Explanation]:
    """Explanations not submitted by their due time, that `user` reviews (the reviewer's list)."""
    query = _reviewed_by(user, Explanation.status == ExplanationStatus.REQUESTED,
                         Explanation.due_at < (now or utcnow()))
    rows = session.scalars(query.order_by(Explanation.due_at).limit(limit))
    return [row for row in rows if row.officer_id != user.officer_id]


def is_overdue(explanation: Explanation, now: datetime | None = None) -> bool:
    """Requested and not submitted by its due time."""
    return (explanation.status == ExplanationStatus.REQUESTED and explanation.due_at is not None
            and explanation.due_at < (now or utcnow()))


def of_complaint(*, session: Session, complaint) -> list[Explanation]:
    """The complaint's explanations, in the order they were asked."""
    return list(session.scalars(select(Explanation).where(Explanation.complaint_id == complaint.id)
                                .order_by(Explanation.requested_at, Explanation.id)))


def officer_record(*, session: Session, officer_id: int, now: datetime | None = None) -> dict[str, int]:
    """The officer's explanations by status (requested, submitted, accepted, rejected) and overdue."""
    rows = list(session.scalars(select(Explanation).where(Explanation.officer_id == officer_id)))
    counts = {status.value: 0 for status in ExplanationStatus}
    for row in rows:
        counts[row.status.value] += 1
    counts["overdue"] = sum(is_overdue(row, now) for row in rows)
    return counts
