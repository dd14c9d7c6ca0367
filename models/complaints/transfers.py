"""'Not my department': the officer hands the complaint to the department's nodal officer, who
re-routes it within the department or sends it back to the helpline for another department.

A transfer is a move to another department. After `transfer_cap` of them (a setting, 3 by
default) the complaint stays with the nodal officer of the last department, with an alert; the
second move between the same two departments alerts both departments' nodal officers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints import jurisdiction
from models.complaints.alerts import AlertKind, raise_alert
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, require
from models.complaints.routing import UnknownCategory, route
from models.complaints.service import transition
from models.complaints.status import Action, check_step, next_status
from models.core.base import Base, utcnow
from models.core.settings import Settings, get_settings
from models.people.users import Role
from models.reference.departments import Department

HELPLINE = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)


class ComplaintTransfer(Base):
    """One move of a complaint from one department to another."""

    __tablename__ = "complaint_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    from_department: Mapped[str] = mapped_column(String(3))
    to_department: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))


class TransferCapReached(Exception):
    """The complaint was transferred as often as allowed; its department must settle it."""

    code = "transfer_cap"


class NoNodalOfficer(Exception):
    """The department has no nodal officer configured."""

    code = "no_nodal"


def required_text(value: str | None, field: str, minimum: int = 5) -> str:
    """`value` stripped, or InvalidField naming `field` when it is shorter than `minimum`."""
    text = (value or "").strip()
    if not text:
        raise InvalidField(field, "this is required", code="required")
    if len(text) < minimum:
        raise InvalidField(field, f"write at least {minimum} characters", code="too_short", limit=minimum)
    return text


def _nodal_officer_id(session: Session, department_code: str | None) -> int:
    department = session.get(Department, department_code) if department_code else None
    if department is None or department.nodal_officer_id is None:
        raise NoNodalOfficer(f"department {department_code} has no nodal officer")
    return department.nodal_officer_id


def refer_to_nodal(*, session: Session, complaint: Complaint, actor: Actor, reason: str,
                   at: datetime | None = None) -> Complaint:
    """'Not my department': the officer holding it hands it to the department's nodal officer."""
    require(jurisdiction.holds(actor, complaint), "only the officer holding the complaint returns it")
    next_status(complaint.status, Action.REFER_TO_NODAL)
    reason = required_text(reason, "reason")
    nodal = _nodal_officer_id(session, complaint.department_code)
    return transition(session=session, complaint=complaint, action=Action.REFER_TO_NODAL,
                      actor=actor.name, channel=actor.channel, at=at, officer_id=nodal, due_at=None,
                      note=f"not my department: {reason}")


def _category(session: Session, code: str | None, field: str = "category"):
    from models.reference.departments import get_category

    category = get_category(session=session, code=(code or "").strip().upper()) if code else None
    if category is None:
        raise InvalidField(field, f"unknown category {code!r}", code="required" if not code else "unknown")
    return category


def reroute_within_department(*, session: Session, complaint: Complaint, actor: Actor,
                              category_code: str, note: str = "",
                              at: datetime | None = None) -> Complaint:
    """The nodal officer routes a returned complaint to the right L1 officer of the department."""
    require(jurisdiction.oversees(actor, complaint), "only the department's nodal officer or secretary")
    check_step(complaint.status, "reroute")
    category = _category(session, category_code)
    if category.department_code != complaint.department_code:
        raise InvalidField("category", "choose a category of this department", code="other_department")
    at = at or utcnow()
    target = route(session=session, category_code=category.code, district_code=complaint.district_code,
                   block_id=complaint.block_id, start=at)
    return transition(session=session, complaint=complaint, action=Action.ASSIGN, actor=actor.name,
                      channel=actor.channel, at=at, level=1, officer_id=target.officer.id,
                      category_code=category.code, due_at=target.due_at,
                      note=note or f"re-routed by the nodal officer to {target.officer.designation_en}")


def send_back_to_helpline(*, session: Session, complaint: Complaint, actor: Actor, reason: str,
                          settings: Settings | None = None, at: datetime | None = None) -> Complaint:
    """The nodal officer says another department must take it; refused after the transfer cap."""
    require(jurisdiction.oversees(actor, complaint), "only the department's nodal officer or secretary")
    next_status(complaint.status, Action.RETURN)
    reason = required_text(reason, "reason")
    cap = (settings or get_settings()).transfer_cap
    if complaint.transfer_count >= cap:
        raise TransferCapReached(f"complaint {complaint.public_id} was transferred {cap} times")
    return transition(session=session, complaint=complaint, action=Action.RETURN, actor=actor.name,
                      channel=actor.channel, at=at, officer_id=None, due_at=None,
                      note=f"another department: {reason}")


def transfer(*, session: Session, complaint: Complaint, actor: Actor, category_code: str,
             note: str = "", settings: Settings | None = None, at: datetime | None = None) -> Complaint:
    """The helpline routes a returned complaint again, usually to another department.

    Past the transfer cap it goes to the nodal officer of the department it is in, with an alert.
    """
    require(actor.role in HELPLINE, "only the helpline routes a returned complaint")
    check_step(complaint.status, "transfer")
    at = at or utcnow()
    category = _category(session, category_code)
    old, new = complaint.department_code, category.department_code
    cap = (settings or get_settings()).transfer_cap
    if old and new != old and complaint.transfer_count >= cap:
        nodal = _nodal_officer_id(session, old)
        transition(session=session, complaint=complaint, action=Action.REFER_TO_NODAL, actor=actor.name,
                   channel=actor.channel, at=at, officer_id=nodal, due_at=None,
                   note=f"transfer cap of {cap} reached; stays with the department {old}")
        raise_alert(session=session, kind=AlertKind.TRANSFER_CAP, complaint=complaint, officer_id=nodal,
                    key=str(complaint.transfer_count), at=at,
                    note=f"transferred {complaint.transfer_count} times; the department must settle it")
        return complaint
    try:
        target = route(session=session, category_code=category.code,
                       district_code=complaint.district_code, block_id=complaint.block_id, start=at)
    except UnknownCategory:
        raise InvalidField("category", f"unknown category {category_code!r}", code="unknown") from None
    changes = {}
    if old and new != old:
        session.add(ComplaintTransfer(complaint_id=complaint.id, from_department=old, to_department=new,
                                      at=at, actor=actor.name))
        changes["transfer_count"] = complaint.transfer_count + 1
    transition(session=session, complaint=complaint, action=Action.ASSIGN, actor=actor.name,
               channel=actor.channel, at=at, level=1, officer_id=target.officer.id,
               category_code=category.code, department_code=new, due_at=target.due_at,
               note=note or (f"transferred from {old} to {new}" if changes else "routed again"), **changes)
    if changes:
        _alert_ping_pong(session, complaint, old, new, at)
    return complaint


def _alert_ping_pong(session: Session, complaint: Complaint, a: str, b: str, at: datetime) -> None:
    moves = session.scalar(select(func.count()).select_from(ComplaintTransfer).where(
        ComplaintTransfer.complaint_id == complaint.id,
        or_((ComplaintTransfer.from_department == a) & (ComplaintTransfer.to_department == b),
            (ComplaintTransfer.from_department == b) & (ComplaintTransfer.to_department == a))))
    if moves < 2:
        return
    for code in sorted({a, b}):
        department = session.get(Department, code)
        if department is not None and department.nodal_officer_id:
            raise_alert(session=session, kind=AlertKind.PING_PONG, complaint=complaint,
                        officer_id=department.nodal_officer_id, key=f"{min(a, b)}-{max(a, b)}:{moves}:{code}",
                        at=at, note=f"moved between {a} and {b} {moves} times")


def transfers_of(*, session: Session, complaint: Complaint) -> list[ComplaintTransfer]:
    """The complaint's moves between departments, oldest first."""
    return list(session.scalars(select(ComplaintTransfer)
                                .where(ComplaintTransfer.complaint_id == complaint.id)
                                .order_by(ComplaintTransfer.id)))
