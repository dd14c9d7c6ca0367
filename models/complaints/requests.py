"""Requests an officer makes and a senior decides: more time, a pause of the clock, a special closure.

More time and a pause are decided by the officer of the next level up (or the department's nodal
officer or secretary); a special closure, proposed at L1 or L2, by an L3 or L4 officer of the
department or its nodal officer. The due time moves, the clock stops or the complaint closes
only on approval.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.complaints import clock, jurisdiction
from models.complaints.alerts import AlertKind, raise_alert
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, require
from models.complaints.service import record, transition
from models.complaints.status import Action, check_step
from models.complaints.transfers import required_text
from models.core.base import Base, utcnow
from models.core.settings import PAUSE_CAP_DAYS, Settings, get_settings
from models.people.officers import officer_for
from models.people.users import Role
from models.reference.holidays import working_calendar

PAUSE_REASONS = tuple(PAUSE_CAP_DAYS)  # awaiting_citizen, sub_judice, budget_decision
CLOSURE_REASONS = ("policy_matter", "not_in_govt_power", "duplicate")


class RequestKind(str, enum.Enum):
    MORE_TIME = "more_time"
    PAUSE = "pause"
    SPECIAL_CLOSURE = "special_closure"


class RequestStatus(str, enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ComplaintRequest(Base):
    __tablename__ = "complaint_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[RequestKind]
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.PENDING, index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), default=None)  # who asked
    level: Mapped[int | None] = mapped_column(default=None)
    approver_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), default=None,
                                                            index=True)
    reason_code: Mapped[str | None] = mapped_column(String(30), default=None)
    days: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(80), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    complaint = relationship("Complaint")
    officer = relationship("Officer", foreign_keys=[officer_id])
    approver = relationship("Officer", foreign_keys=[approver_officer_id])


class RequestPending(Exception):
    """A request of this kind already awaits a decision."""

    code = "request_pending"


class RequestNotPending(Exception):
    """The request was already decided."""

    code = "request_not_pending"


class NoApprover(Exception):
    """Nobody above this level can decide the request (L4 has no next level)."""

    code = "no_approver"


def _pending(session: Session, complaint: Complaint, kind: RequestKind) -> ComplaintRequest | None:
    return session.scalars(select(ComplaintRequest).where(
        ComplaintRequest.complaint_id == complaint.id, ComplaintRequest.kind == kind,
        ComplaintRequest.status == RequestStatus.PENDING)).first()


def _next_level_officer(session: Session, complaint: Complaint) -> int:
    level = complaint.level or 1
    officer = None
    if level < 4 and complaint.department_code:
        officer = officer_for(session=session, department_code=complaint.department_code, level=level + 1,
                              district_code=complaint.district_code, block_id=complaint.block_id)
    if officer is None:
        raise NoApprover(f"no officer above L{level} decides requests on {complaint.public_id}")
    return officer.id


def _choice(value: str | None, choices: tuple[str, ...], field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidField(field, f"one of {', '.join(choices)}", code="required")
    if value not in choices:
        raise InvalidField(field, f"one of {', '.join(choices)}", code="unknown")
    return value


def _days(value, limit: int) -> int:
    if value is None or value == "":
        raise InvalidField("days", "how many working days", code="required")
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or len(text) > 6 or not 1 <= int(text) <= limit:
        raise InvalidField("days", f"a whole number from 1 to {limit}", code="out_of_range", limit=limit)
    return int(text)


def ask(*, session: Session, complaint: Complaint, actor: Actor, kind: RequestKind | str, note: str,
        days=None, reason_code: str | None = None, settings: Settings | None = None,
        at: datetime | None = None) -> ComplaintRequest:
    """The officer holding the complaint asks for more time, a pause or a special closure."""
    kind = RequestKind(kind)
    settings = settings or get_settings()
    require(jurisdiction.holds(actor, complaint), "only the officer holding the complaint asks")
    check_step(complaint.status, kind.value)
    fields: dict = {}
    if kind is RequestKind.MORE_TIME:
        fields["days"] = _days(days, settings.more_time_max_days)
    elif kind is RequestKind.PAUSE:
        fields["reason_code"] = _choice(reason_code, PAUSE_REASONS, "reason_code")
    else:
        require((complaint.level or 1) <= 2, "a special closure is proposed at L1 or L2")
        fields["reason_code"] = _choice(reason_code, CLOSURE_REASONS, "reason_code")
    note = required_text(note, "note")
    if _pending(session, complaint, kind) is not None:
        raise RequestPending(f"a {kind.value} request on {complaint.public_id} awaits a decision")
    approver = None if kind is RequestKind.SPECIAL_CLOSURE else _next_level_officer(session, complaint)
    at = at or utcnow()
    request = ComplaintRequest(complaint_id=complaint.id, kind=kind, officer_id=actor.officer_id,
                               level=complaint.level, approver_officer_id=approver, note=note,
                               requested_by=actor.name, requested_at=at, **fields)
    session.add(request)
    session.flush()
    detail = ", ".join(f"{k}={v}" for k, v in fields.items())
    record(session=session, complaint=complaint, actor=actor.name, channel=actor.channel,
           action=f"{kind.value}_requested", note=f"{detail}: {note}", at=at)
    raise_alert(session=session, kind=AlertKind.REQUEST, complaint=complaint, officer_id=approver,
                key=f"request:{request.id}", note=f"{kind.value} requested: {note}", at=at)
    return request


def may_decide(actor: Actor, request: ComplaintRequest) -> bool:
    """The next level's officer named on the request, an L3/L4 officer of the department for a
    special closure, or the department's nodal officer or secretary; never the one who asked."""
    complaint = request.complaint
    if actor.officer_id is not None and actor.officer_id == request.officer_id:
        return False
    if jurisdiction.oversees(actor, complaint):
        return True
    if request.kind is RequestKind.SPECIAL_CLOSURE:
        return (actor.role is Role.OFFICER and (actor.level or 0) >= 3
                and actor.department_code == complaint.department_code)
    return actor.officer_id is not None and actor.officer_id == request.approver_officer_id


def decide(*, session: Session, request: ComplaintRequest, actor: Actor, approve: bool, note: str = "",
           settings: Settings | None = None, at: datetime | None = None) -> ComplaintRequest:
    """Approve or refuse; on approval the due time moves, the clock stops or the complaint closes."""
    require(may_decide(actor, request), "this request is not yours to decide")
    if request.status is not RequestStatus.PENDING:
        raise RequestNotPending(f"request {request.id} is already {request.status.value}")
    complaint, at = request.complaint, at or utcnow()
    if approve:
        check_step(complaint.status, request.kind.value)
        _apply(session, request, actor, note, settings or get_settings(), at)
    else:
        record(session=session, complaint=complaint, actor=actor.name, channel=actor.channel,
               action=f"{request.kind.value}_refused", note=note, at=at)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor.name, at, note.strip()
    session.flush()
    return request


def _apply(session: Session, request: ComplaintRequest, actor: Actor, note: str, settings: Settings,
           at: datetime) -> None:
    complaint = request.complaint
    if request.kind is RequestKind.MORE_TIME:
        old = complaint.due_at or at
        clock.move_due(complaint, due=working_calendar(session=session).due_at(old, request.days))
        record(session=session, complaint=complaint, actor=actor.name, channel=actor.channel,
               action="more_time_approved", at=at,
               note=f"{request.days} working days more; due {complaint.due_at.isoformat()}. {note}".strip())
    elif request.kind is RequestKind.PAUSE:
        cap = settings.pause_cap_days[request.reason_code]
        transition(session=session, complaint=complaint, action=Action.PAUSE, actor=actor.name,
                   channel=actor.channel, at=at, pause_reason=request.reason_code,
                   pause_ends_at=at + timedelta(days=cap),
                   note=f"clock paused ({request.reason_code}, at most {cap} days). {note}".strip())
    else:
        transition(session=session, complaint=complaint, action=Action.SPECIAL_CLOSE, actor=actor.name,
                   channel=actor.channel, at=at, closure_reason=request.reason_code,
                   note=f"special closure ({request.reason_code}): {request.note}")


def resume(*, session: Session, complaint: Complaint, actor: Actor | None = None,
           at: datetime | None = None) -> Complaint:
    """Restart a paused clock; the paused time is added to the due time. `actor` None: the cap."""
    at = at or utcnow()
    if actor is not None:
        require(jurisdiction.holds(actor, complaint) or jurisdiction.oversees(actor, complaint),
                "only the officer holding the complaint or the department's nodal officer")
    if complaint.paused_at is not None and complaint.status.value == "paused":
        clock.shift_due(complaint, by=at - complaint.paused_at)
    reason = complaint.pause_reason
    return transition(session=session, complaint=complaint, action=Action.RESUME,
                      actor=actor.name if actor else "system:pause-cap",
                      channel=actor.channel if actor else "system", at=at, pause_reason=None,
                      pause_ends_at=None,
                      note="clock restarted" if actor else f"pause ({reason}) reached its cap")


def get_request(*, session: Session, request_id: int) -> ComplaintRequest | None:
    return session.get(ComplaintRequest, request_id)


def requests_of(*, session: Session, complaint: Complaint) -> list[ComplaintRequest]:
    """Every request made on the complaint, oldest first."""
    return list(session.scalars(select(ComplaintRequest).where(ComplaintRequest.complaint_id == complaint.id)
                                .order_by(ComplaintRequest.id)))


def to_decide(*, session: Session, actor: Actor, limit: int = 200) -> list[ComplaintRequest]:
    """The pending requests `actor` may decide, oldest first."""
    query = (select(ComplaintRequest).join(Complaint, ComplaintRequest.complaint_id == Complaint.id)
             .where(ComplaintRequest.status == RequestStatus.PENDING))
    mine = ComplaintRequest.approver_officer_id == actor.officer_id if actor.officer_id else None
    department = Complaint.department_code == actor.department_code
    if actor.oversees_department or (actor.level or 0) >= 3:
        query = query.where(or_(department, mine) if mine is not None else department)
    elif mine is not None:
        query = query.where(mine)
    else:
        return []
    rows = session.scalars(query.order_by(ComplaintRequest.requested_at).limit(limit))
    return [row for row in rows if may_decide(actor, row)]
