"""Satisfaction calls: after a complaint is resolved the helpline calls the citizen, who presses 1
(satisfied: closed) or 2 (not satisfied: reopened at the level that resolved it; a second "not
satisfied" also climbs one level). No answer, busy or a hang-up is tried again, within calling
hours and never at the same hour twice; after the last try the complaint is closed as
"no response". Each try is a row of its own, shown on the complaint's timeline.

The worker asks `calls_to_place` what to dial now (paced: at most `concurrent` at once), files
the try with `place`, and Asterisk's answer comes back through the IVR to `record_result`."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.complaints.complaint import Complaint
from models.complaints.lifecycle import AlreadyAtTopLevel, escalate, reopen
from models.complaints.service import transition
from models.complaints.status import Action, ComplaintStatus
from models.core.base import Base, utcnow
from models.notifications.outbox import queue_complaint_sms
from models.notifications.templates import SmsEvent
from models.reference.calendar import IST

log = logging.getLogger(__name__)

ACTOR = "ivr:feedback"
CALLING_HOURS = (time(9, 0), time(20, 0))  # India time; a try starts inside, never after 20:00
FIRST_DELAY = timedelta(minutes=30)        # after the resolution, before the first try
IN_FLIGHT_LIMIT = timedelta(minutes=10)    # a try with no answer from Asterisk by then is lost


class FeedbackResult(str, enum.Enum):
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"
    NO_ANSWER = "no_answer"      # rang out, or the citizen hung up before answering the question
    BUSY = "busy"
    FAILED = "failed"            # the network refused the call (congestion, a bad number)
    LOST = "lost"                # Asterisk never reported back
    NOT_PLACED = "not_placed"    # Asterisk was down: the citizen was not called; not a try


ANSWERED = {FeedbackResult.SATISFIED, FeedbackResult.NOT_SATISFIED}
NOT_A_TRY = {FeedbackResult.NOT_PLACED}


class FeedbackAttempt(Base):
    __tablename__ = "feedback_attempts"
    __table_args__ = (UniqueConstraint("complaint_id", "resolved_at", "attempt",
                                       name="uq_feedback_attempts_try"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    resolved_at: Mapped[datetime]          # which resolution is being asked about
    attempt: Mapped[int]                   # 1, 2, … within that resolution
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    result: Mapped[FeedbackResult | None] = mapped_column(default=None, index=True)
    call_uniqueid: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[str] = mapped_column(String(200), default="")

    complaint = relationship("Complaint")


@dataclass(frozen=True)
class FeedbackPolicy:
    """How hard the helpline tries (settings: HELPLINE_FEEDBACK_TRIES, _DAYS, _CONCURRENT)."""

    tries: int = 3
    days: int = 3
    concurrent: int = 2

    @classmethod
    def from_settings(cls, settings) -> FeedbackPolicy:
        return cls(tries=settings.feedback_tries, days=settings.feedback_days,
                   concurrent=settings.feedback_concurrent)

    @property
    def spacing(self) -> timedelta:
        return timedelta(days=self.days) / max(self.tries, 1)


@dataclass(frozen=True)
class CallToPlace:
    complaint_id: int
    public_id: str
    mobile: str
    language: str
    resolved_at: datetime
    attempt: int


def _local(at: datetime) -> datetime:
    return at.astimezone(IST)


def in_calling_hours(at: datetime) -> bool:
    start, end = CALLING_HOURS
    return start <= _local(at).time() < end


def into_calling_hours(at: datetime) -> datetime:
    """`at`, or the next moment calling hours begin (09:00 India time) when it falls outside."""
    local = _local(at)
    start, end = CALLING_HOURS
    if local.time() < start:
        local = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    elif local.time() >= end:
        local = (local + timedelta(days=1)).replace(hour=start.hour, minute=start.minute,
                                                    second=0, microsecond=0)
    return local.astimezone(at.tzinfo)


def next_try_at(*, resolved_at: datetime, earlier: list[datetime], policy: FeedbackPolicy) -> datetime:
    """When the next try is due: the first soon after the resolution, each later one a spacing
    after the last, inside calling hours and at an hour of the day not used before."""
    if not earlier:
        return into_calling_hours(resolved_at + FIRST_DELAY)
    due = into_calling_hours(max(earlier) + policy.spacing)
    used = {_local(at).hour for at in earlier}
    for _ in range(48):  # at most two days of hours to find a fresh one
        if _local(due).hour not in used:
            return due
        due = into_calling_hours(due + timedelta(hours=1))
    return due


def _tries_of(session: Session, complaint: Complaint) -> list[FeedbackAttempt]:
    return list(session.scalars(
        select(FeedbackAttempt).where(FeedbackAttempt.complaint_id == complaint.id,
                                      FeedbackAttempt.resolved_at == complaint.resolved_at)
        .order_by(FeedbackAttempt.attempt)))


def in_flight(*, session: Session, now: datetime) -> int:
    """Feedback calls placed and not yet answered for (the pacing counts these)."""
    return session.scalar(select(func.count(FeedbackAttempt.id)).where(
        FeedbackAttempt.result.is_(None), FeedbackAttempt.placed_at > now - IN_FLIGHT_LIMIT)) or 0


def expire_lost(*, session: Session, now: datetime) -> int:
    """Tries Asterisk never reported back on are lost (a no-answer); returns how many."""
    lost = list(session.scalars(select(FeedbackAttempt).where(
        FeedbackAttempt.result.is_(None), FeedbackAttempt.placed_at <= now - IN_FLIGHT_LIMIT)))
    for attempt in lost:
        record_result(session=session, attempt=attempt, result=FeedbackResult.LOST, now=now,
                      detail="no report from Asterisk")
    return len(lost)


def close_unanswered(*, session: Session, now: datetime, policy: FeedbackPolicy) -> int:
    """Resolved complaints whose last try went unanswered are closed as "no response" (counted
    apart from the satisfied); returns how many."""
    tried = select(FeedbackAttempt.complaint_id).where(FeedbackAttempt.attempt >= policy.tries)
    closed = 0
    for complaint in session.scalars(select(Complaint).where(
            Complaint.status == ComplaintStatus.RESOLVED, Complaint.id.in_(tried))):
        tries = [t for t in _tries_of(session, complaint) if t.result not in NOT_A_TRY]
        if len(tries) < policy.tries or any(t.result is None for t in tries):
            continue
        transition(session=session, complaint=complaint, action=Action.CLOSE, actor=ACTOR,
                   channel="phone", at=now, closure_reason="no_response",
                   note=f"no response after {len(tries)} feedback calls")
        closed += 1
    return closed


def calls_to_place(*, session: Session, now: datetime, policy: FeedbackPolicy,
                   limit: int = 200) -> list[CallToPlace]:
    """The resolved complaints whose next try is due now, oldest resolution first, no more than
    the free places under `policy.concurrent`; none outside calling hours."""
    free = policy.concurrent - in_flight(session=session, now=now)
    if free <= 0 or not in_calling_hours(now):
        return []
    resolved = session.scalars(
        select(Complaint).where(Complaint.status == ComplaintStatus.RESOLVED,
                                Complaint.resolved_at.is_not(None))
        .order_by(Complaint.resolved_at).limit(limit))
    due: list[CallToPlace] = []
    for complaint in resolved:
        tries = _tries_of(session, complaint)
        if any(t.result is None for t in tries):
            continue
        counted = [t for t in tries if t.result not in NOT_A_TRY]
        if len(counted) >= policy.tries:
            continue  # the last try's result closes it; nothing more to dial
        if next_try_at(resolved_at=complaint.resolved_at, earlier=[t.placed_at for t in counted],
                       policy=policy) > now:
            continue
        due.append(CallToPlace(complaint_id=complaint.id, public_id=complaint.public_id,
                               mobile=complaint.mobile, language=complaint.language,
                               resolved_at=complaint.resolved_at, attempt=len(tries) + 1))
        if len(due) >= free:
            break
    return due


def place(*, session: Session, call: CallToPlace, now: datetime) -> FeedbackAttempt:
    """File the try before dialling, so a crash after the dial still knows a call went out."""
    attempt = FeedbackAttempt(complaint_id=call.complaint_id, resolved_at=call.resolved_at,
                              attempt=call.attempt, placed_at=now)
    session.add(attempt)
    session.flush()
    return attempt


def _first_try_made(session: Session, attempt: FeedbackAttempt) -> int:
    """The number of the first try about this resolution that really rang the citizen."""
    return session.scalar(select(func.min(FeedbackAttempt.attempt)).where(
        FeedbackAttempt.complaint_id == attempt.complaint_id,
        FeedbackAttempt.resolved_at == attempt.resolved_at,
        FeedbackAttempt.result.not_in([r.value for r in NOT_A_TRY]))) or attempt.attempt


def get_attempt(*, session: Session, attempt_id: int) -> FeedbackAttempt | None:
    return session.get(FeedbackAttempt, attempt_id)


def attempts_of(*, session: Session, complaint: Complaint) -> list[FeedbackAttempt]:
    """Every try about every resolution of `complaint`, oldest first (the timeline shows them)."""
    return list(session.scalars(select(FeedbackAttempt).where(
        FeedbackAttempt.complaint_id == complaint.id).order_by(FeedbackAttempt.placed_at,
                                                               FeedbackAttempt.attempt)))


def record_result(*, session: Session, attempt: FeedbackAttempt, result: FeedbackResult | str,
                  now: datetime | None = None, call_uniqueid: str | None = None,
                  detail: str = "") -> Complaint:
    """What the citizen said, and what follows for the complaint; a try nobody answered is only
    filed (`close_unanswered` gives up after the last). A result already recorded is kept:
    Asterisk may report a call twice."""
    result, now = FeedbackResult(result), now or utcnow()
    complaint = attempt.complaint
    if attempt.result is not None:
        return complaint
    attempt.result, attempt.finished_at = result, now
    attempt.call_uniqueid = call_uniqueid or attempt.call_uniqueid
    attempt.detail = detail[:200]
    session.flush()
    if complaint.status is not ComplaintStatus.RESOLVED or complaint.resolved_at != attempt.resolved_at:
        return complaint  # reopened or closed meanwhile (by an officer, or another try)
    if result not in ANSWERED | NOT_A_TRY and attempt.attempt == _first_try_made(session, attempt):
        # The first call nobody answered: an SMS says we called and will call again.
        queue_complaint_sms(session=session, complaint=complaint, event=SmsEvent.FEEDBACK_ASKED)
    call_note = f"feedback call {attempt.attempt}" + (f" ({call_uniqueid})" if call_uniqueid else "")
    if result is FeedbackResult.SATISFIED:
        return transition(session=session, complaint=complaint, action=Action.CLOSE, actor=ACTOR,
                          channel="phone", at=now, closure_reason="satisfied",
                          note=f"the citizen is satisfied: {call_note}")
    if result is FeedbackResult.NOT_SATISFIED:
        second = (complaint.reopen_count or 0) >= 1
        reopen(session=session, complaint=complaint, actor=ACTOR, channel="phone", at=now,
               reason=f"the citizen is not satisfied: {call_note}")
        if second:
            try:
                escalate(session=session, complaint=complaint, actor=ACTOR, channel="phone", at=now,
                         note="not satisfied a second time: one level up")
            except AlreadyAtTopLevel:
                log.info("complaint %s: not satisfied again at L4", complaint.public_id)
        return complaint
    return complaint
