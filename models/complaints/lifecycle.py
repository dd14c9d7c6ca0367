"""Moving a registered complaint along: work started, escalated, returned, resolved, closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.routing import route
from models.complaints.service import transition
from models.complaints.status import Action
from models.core.base import utcnow


class AlreadyAtTopLevel(Exception):
    """An L4 complaint has nowhere higher to go."""


def may_act_on(*, user, complaint: Complaint) -> bool:
    """Whether `user` (anything with officer_id) holds the complaint: only they start or resolve it."""
    return complaint.officer_id is not None and complaint.officer_id == user.officer_id


def start_work(*, session: Session, complaint: Complaint, actor: str, channel: str = "desk",
               note: str = "") -> Complaint:
    """The officer has taken the complaint up."""
    return transition(session=session, complaint=complaint, action=Action.START, actor=actor,
                      channel=channel, note=note)


def escalate(*, session: Session, complaint: Complaint, actor: str = "system",
             channel: str = "system", note: str = "", at: datetime | None = None) -> Complaint:
    """Move the complaint one level up, to the officer of that level, with a new due time."""
    level = complaint.level or 1
    if level >= 4:
        raise AlreadyAtTopLevel(f"complaint {complaint.public_id} is already at L4")
    at = at or utcnow()
    target = route(session=session, category_code=complaint.category_code,
                   district_code=complaint.district_code, block_id=complaint.block_id,
                   level=level + 1, start=at)
    return transition(session=session, complaint=complaint, action=Action.ESCALATE, actor=actor,
                      channel=channel, at=at, level=target.level, officer_id=target.officer.id,
                      due_at=target.due_at, note=note or f"escalated from L{level} to L{target.level}")


def return_to_helpline(*, session: Session, complaint: Complaint, actor: str, reason: str,
                       channel: str = "desk") -> Complaint:
    """The officer says the complaint is not theirs; the helpline must route it again."""
    return transition(session=session, complaint=complaint, action=Action.RETURN, actor=actor,
                      channel=channel, note=reason, officer_id=None, due_at=None)


def reassign(*, session: Session, complaint: Complaint, actor: str, category_code: str | None = None,
             channel: str = "desk", note: str = "") -> Complaint:
    """Route a returned or reopened complaint again at L1."""
    at = utcnow()
    target = route(session=session, category_code=category_code or complaint.category_code,
                   district_code=complaint.district_code, block_id=complaint.block_id, start=at)
    return transition(session=session, complaint=complaint, action=Action.ASSIGN, actor=actor,
                      channel=channel, at=at, level=1, officer_id=target.officer.id,
                      category_code=target.category.code, department_code=target.department.code,
                      due_at=target.due_at, note=note)


def resolve(*, session: Session, complaint: Complaint, actor: str, resolution: str,
            channel: str = "desk") -> Complaint:
    """The officer has solved it; the level that solved it is kept for the secretary."""
    if not resolution.strip():
        from models.complaints.intake import InvalidField
        raise InvalidField("resolution", "say how the complaint was resolved", code="required")
    return transition(session=session, complaint=complaint, action=Action.RESOLVE, actor=actor,
                      channel=channel, note=resolution, resolution=resolution,
                      resolved_level=complaint.level)


def close(*, session: Session, complaint: Complaint, actor: str, channel: str = "desk",
          note: str = "") -> Complaint:
    return transition(session=session, complaint=complaint, action=Action.CLOSE, actor=actor,
                      channel=channel, note=note)


def reopen(*, session: Session, complaint: Complaint, actor: str, reason: str,
           channel: str = "phone") -> Complaint:
    """The citizen is not satisfied with the resolution."""
    return transition(session=session, complaint=complaint, action=Action.REOPEN, actor=actor,
                      channel=channel, note=reason)


def reject(*, session: Session, complaint: Complaint, actor: str, reason: str,
           channel: str = "desk") -> Complaint:
    return transition(session=session, complaint=complaint, action=Action.REJECT, actor=actor,
                      channel=channel, note=reason)


def force_close(*, session: Session, complaint: Complaint, actor: str, reason: str,
                channel: str = "desk") -> Complaint:
    """A special closure by the nodal officer or secretary, with the reason on record."""
    return transition(session=session, complaint=complaint, action=Action.FORCE_CLOSE, actor=actor,
                      channel=channel, note=reason)
