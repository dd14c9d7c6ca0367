"""Call-backs: a caller who found no agent free and pressed 1 is called back by the worker as soon
as an agent is free, and put through to the queue with the draft, so the agent's screen pops with
it. Supervisors see the waiting list, move an entry up or down, or cancel it. A call-back nobody
answers is tried again (a spacing later, inside calling hours) and given up after the last try."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.calls.feedback import IN_FLIGHT_LIMIT, in_calling_hours, into_calling_hours
from models.complaints.complaint import Complaint
from models.complaints.service import request_callback
from models.core.base import Base, utcnow

RETRY_AFTER = timedelta(minutes=30)


class CallbackStatus(str, enum.Enum):
    WAITING = "waiting"        # in the list; `next_try_at` says from when
    DIALLING = "dialling"      # the worker placed the call; Asterisk reports back
    CONNECTED = "connected"    # the citizen answered and was put through to the queue
    GAVE_UP = "gave_up"        # every try went unanswered
    CANCELLED = "cancelled"    # a supervisor took it off the list


class CallbackNotWaiting(ValueError):
    """Only a waiting call-back can be moved or cancelled."""

    code = "callback_not_waiting"


class Callback(Base):
    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    mobile: Mapped[str] = mapped_column(String(15))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    position: Mapped[int] = mapped_column(index=True)      # the list's order; smaller goes first
    status: Mapped[CallbackStatus] = mapped_column(default=CallbackStatus.WAITING, index=True)
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_try_at: Mapped[datetime | None] = mapped_column(default=None)
    last_result: Mapped[str] = mapped_column(String(40), default="")
    call_uniqueid: Mapped[str | None] = mapped_column(String(64), default=None)
    changed_by: Mapped[str] = mapped_column(String(80), default="")

    complaint = relationship("Complaint")


@dataclass(frozen=True)
class CallbackToPlace:
    callback_id: int
    public_id: str
    mobile: str
    language: str


def request(*, session: Session, complaint: Complaint, now: datetime | None = None,
            actor: str = "ivr") -> Callback:
    """Put the caller on the list (once: asking twice keeps the first place)."""
    now = now or utcnow()
    request_callback(session=session, complaint=complaint, actor=actor)
    existing = session.scalars(select(Callback).where(
        Callback.complaint_id == complaint.id,
        Callback.status.in_([CallbackStatus.WAITING, CallbackStatus.DIALLING]))).first()
    if existing is not None:
        return existing
    last = session.scalar(select(func.max(Callback.position))) or 0
    callback = Callback(complaint_id=complaint.id, mobile=complaint.mobile, requested_at=now,
                        position=last + 1, next_try_at=now)
    session.add(callback)
    session.flush()
    return callback


def waiting(*, session: Session) -> list[Callback]:
    """The list as supervisors see it and the worker works it: by position."""
    return list(session.scalars(select(Callback).where(
        Callback.status.in_([CallbackStatus.WAITING, CallbackStatus.DIALLING]))
        .order_by(Callback.position, Callback.id)))


def any_due(*, session: Session, now: datetime) -> bool:
    """Whether a call-back waits to be placed now (so the worker need not ask Asterisk otherwise)."""
    if not in_calling_hours(now):
        return False
    return session.scalar(select(Callback.id).where(
        Callback.status == CallbackStatus.WAITING, Callback.next_try_at <= now).limit(1)) is not None


def next_to_place(*, session: Session, now: datetime, free_agents: int) -> list[CallbackToPlace]:
    """As many due call-backs as there are free agents, first in the list first; none outside
    calling hours. Call-backs already dialling hold an agent's place."""
    dialling = session.scalar(select(func.count(Callback.id)).where(
        Callback.status == CallbackStatus.DIALLING, Callback.last_try_at > now - IN_FLIGHT_LIMIT)) or 0
    free = free_agents - dialling
    if free <= 0 or not in_calling_hours(now):
        return []
    due = session.scalars(select(Callback).where(
        Callback.status == CallbackStatus.WAITING, Callback.next_try_at <= now)
        .order_by(Callback.position, Callback.id).limit(free))
    return [CallbackToPlace(callback_id=c.id, public_id=c.complaint.public_id, mobile=c.mobile,
                            language=c.complaint.language) for c in due]


def dialled(*, session: Session, callback_id: int, now: datetime) -> Callback:
    callback = session.get(Callback, callback_id)
    callback.status, callback.last_try_at = CallbackStatus.DIALLING, now
    callback.tries += 1
    session.flush()
    return callback


def record_result(*, session: Session, callback_id: int, answered: bool, detail: str = "",
                  call_uniqueid: str | None = None, now: datetime | None = None) -> Callback | None:
    """The citizen answered (put through to the queue) or not (back in the list for a later
    try; `give_up` ends it after the last). A result for a call-back no longer dialling changes
    nothing: Asterisk may report a call twice."""
    now = now or utcnow()
    callback = session.get(Callback, callback_id)
    if callback is None or callback.status is not CallbackStatus.DIALLING:
        return callback
    callback.last_result, callback.call_uniqueid = detail[:40], call_uniqueid or callback.call_uniqueid
    if answered:
        callback.status = CallbackStatus.CONNECTED
    else:
        callback.status = CallbackStatus.WAITING
        callback.next_try_at = into_calling_hours(now + RETRY_AFTER)
    session.flush()
    return callback


def expire_lost(*, session: Session, now: datetime) -> int:
    """Call-backs Asterisk never reported on count as unanswered."""
    lost = list(session.scalars(select(Callback).where(
        Callback.status == CallbackStatus.DIALLING, Callback.last_try_at <= now - IN_FLIGHT_LIMIT)))
    for callback in lost:
        record_result(session=session, callback_id=callback.id, answered=False, detail="lost", now=now)
    return len(lost)


def give_up(*, session: Session, tries: int) -> int:
    """Waiting call-backs tried `tries` times leave the list."""
    spent = list(session.scalars(select(Callback).where(
        Callback.status == CallbackStatus.WAITING, Callback.tries >= tries)))
    for callback in spent:
        callback.status = CallbackStatus.GAVE_UP
    session.flush()
    return len(spent)


def _waiting_one(session: Session, callback_id: int) -> Callback:
    callback = session.get(Callback, callback_id)
    if callback is None or callback.status is not CallbackStatus.WAITING:
        raise CallbackNotWaiting(f"call-back {callback_id} is not waiting")
    return callback


def move(*, session: Session, callback_id: int, up: bool, actor: str) -> Callback:
    """Swap the entry with its neighbour above (up) or below in the list."""
    callback = _waiting_one(session, callback_id)
    order = [c for c in waiting(session=session) if c.status is CallbackStatus.WAITING]
    index = order.index(callback)
    other_index = index - 1 if up else index + 1
    if 0 <= other_index < len(order):
        other = order[other_index]
        callback.position, other.position = other.position, callback.position
        callback.changed_by = actor
        session.flush()
    return callback


def cancel(*, session: Session, callback_id: int, actor: str) -> Callback:
    callback = _waiting_one(session, callback_id)
    callback.status, callback.changed_by = CallbackStatus.CANCELLED, actor
    session.flush()
    return callback
