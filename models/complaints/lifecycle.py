"""Moving a registered complaint along: work started, escalated, returned, resolved, closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.routing import Routes, route
from models.complaints.service import transition
from models.complaints.status import Action
from models.core.base import utcnow


class AlreadyAtTopLevel(Exception):
    """An L4 complaint has nowhere higher to go."""

    code = "top_level"


def may_act_on(*, user, complaint: Complaint) -> bool:
    """Whether `user` (anything with officer_id) holds the complaint: only they start or resolve it."""
    return complaint.officer_id is not None and complaint.officer_id == user.officer_id


def start_work(*, session: Session, complaint: Complaint, actor: str, channel: str = "desk",
               note: str = "") -> Complaint:
    """The officer has taken the complaint up."""
    return transition(session=session, complaint=complaint, action=Action.START, actor=actor,
                      channel=channel, note=note)


def escalate(*, session: Session, complaint: Complaint, actor: str = "system",
             channel: str = "system", note: str = "", at: datetime | None = None,
             routes: Routes | None = None) -> Complaint:
    """Move the complaint one level up, to the officer of that level, with a new due time
    (`routes`: the look-ups of a run over many complaints)."""
    level = complaint.level or 1
    at = at or utcnow()
    target = one_level_up(session=session, complaint=complaint, at=at, routes=routes)
    return transition(session=session, complaint=complaint, action=Action.ESCALATE, actor=actor,
                      channel=channel, at=at, **target,
                      note=note or f"escalated from L{level} to L{target['level']}")


def one_level_up(*, session: Session, complaint, at: datetime, routes: Routes | None = None) -> dict:
    """The level, officer and due time one level above `complaint` (anything with its columns),
    escalated at `at`; AlreadyAtTopLevel at L4, NoOfficerConfigured when nobody holds that level."""
    level = complaint.level or 1
    if level >= 4:
        raise AlreadyAtTopLevel(f"complaint {complaint.public_id} is already at L4")
    target = route(session=session, category_code=complaint.category_code,
                   district_code=complaint.district_code, block_id=complaint.block_id,
                   level=level + 1, start=at, routes=routes)
    return dict(level=target.level, officer_id=target.officer.id, due_at=target.due_at)


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
           channel: str = "phone", at: datetime | None = None) -> Complaint:
    """The citizen is not satisfied: back to the level that resolved it, with a fresh time limit."""
    if not reason.strip():
        from models.complaints.intake import InvalidField
        raise InvalidField("reason", "say why the citizen is not satisfied", code="required")
    at = at or utcnow()
    level = complaint.resolved_level or complaint.level or 1
    target = route(session=session, category_code=complaint.category_code,
                   district_code=complaint.district_code, block_id=complaint.block_id,
                   level=level, start=at)
    return transition(session=session, complaint=complaint, action=Action.REOPEN, actor=actor,
                      channel=channel, at=at, note=reason, level=level, officer_id=target.officer.id,
                      due_at=target.due_at, reopen_count=(complaint.reopen_count or 0) + 1)


def reject(*, session: Session, complaint: Complaint, actor: str, reason: str,
           channel: str = "desk") -> Complaint:
    return transition(session=session, complaint=complaint, action=Action.REJECT, actor=actor,
                      channel=channel, note=reason)


def force_close(*, session: Session, complaint: Complaint, actor: str, reason: str,
                channel: str = "desk", at: datetime | None = None) -> Complaint:
    """Closed by the secretary's order, with the reason on record (counted apart from resolved)."""
    return transition(session=session, complaint=complaint, action=Action.FORCE_CLOSE, actor=actor,
                      channel=channel, note=reason, at=at, closure_reason="secretary_order")
