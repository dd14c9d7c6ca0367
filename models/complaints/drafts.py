"""Registration at the desk: an agent completes a call's draft, registers a counter complaint,
or links the contact to an open complaint instead."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.calls.call import Call
from models.calls.presence import set_disposition
from models.complaints.complaint import Complaint
from models.complaints.intake import ComplaintInput
from models.complaints.service import get_by_public_id, register
from models.complaints.similar import link_duplicate
from models.complaints.status import ComplaintStatus

log = logging.getLogger(__name__)


class DraftNotFound(LookupError):
    """No draft complaint has this ID."""


class DraftAlreadyDone(Exception):
    """The draft was registered or rejected already (perhaps by another agent)."""

    def __init__(self, complaint: Complaint):
        super().__init__(f"complaint {complaint.public_id} is {complaint.status.value}, not a draft")
        self.complaint = complaint


def get_draft(*, session: Session, public_id: str) -> Complaint:
    """The draft with this ID; DraftNotFound or DraftAlreadyDone otherwise."""
    complaint = get_by_public_id(session=session, public_id=public_id)
    if complaint is None:
        raise DraftNotFound(public_id)
    if complaint.status is not ComplaintStatus.DRAFT:
        raise DraftAlreadyDone(complaint)
    return complaint


def call_of(*, session: Session, complaint: Complaint) -> Call | None:
    """The telephone call that created the complaint, if any."""
    return session.scalars(select(Call).where(Call.complaint_id == complaint.id)
                           .order_by(Call.id.desc())).first()


def register_at_desk(*, session: Session, data: ComplaintInput, agent: str,
                     draft_public_id: str | None = None) -> Complaint:
    """Register (completing the draft when given), assign to L1 and queue the citizen's SMS."""
    draft = get_draft(session=session, public_id=draft_public_id) if draft_public_id else None
    if draft is not None:
        data.channel = draft.channel
    complaint = register(session=session, data=data, actor=f"user:{agent}", draft=draft, sms=True)
    call = call_of(session=session, complaint=complaint) if draft is not None else None
    if call is not None:
        call.agent = agent
    session.flush()
    log.info("%s registered %s (draft=%s)", agent, complaint.public_id, bool(draft))
    return complaint


def link_at_desk(*, session: Session, existing: Complaint, agent: str,
                 draft: Complaint | None = None) -> Complaint:
    """Link the citizen's new contact (a call's draft, or a counter visit) to the open complaint
    `existing`: the draft is rejected as its duplicate and the call moves over, wrapped up as linked."""
    link_duplicate(session=session, existing=existing, actor=f"user:{agent}",
                   channel=draft.channel.value if draft else "counter", draft=draft)
    call = call_of(session=session, complaint=draft) if draft is not None else None
    if call is not None:
        call.complaint_id = existing.id
        set_disposition(session=session, call=call, code="linked", agent=agent)
    log.info("%s linked %s to %s", agent, draft.public_id if draft else "a counter visit",
             existing.public_id)
    return existing
