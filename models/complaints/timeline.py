"""Everything that happened to a complaint, for its page and the API: history, explanations,
requests, attachments, transfers, alerts, the citizen's calls, the satisfaction calls' tries and
call-backs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.calls.call import Call
from models.calls.callbacks import Callback
from models.calls.feedback import FeedbackAttempt, attempts_of
from models.complaints.alerts import Alert, alerts_of
from models.complaints.complaint import Complaint
from models.complaints.explanations import Explanation, of_complaint
from models.complaints.notes import Attachment, attachments_of
from models.complaints.requests import ComplaintRequest, requests_of
from models.complaints.transfers import ComplaintTransfer, transfers_of


@dataclass(frozen=True)
class Timeline:
    complaint: Complaint
    explanations: list[Explanation]
    requests: list[ComplaintRequest]
    attachments: list[Attachment]
    transfers: list[ComplaintTransfer]
    alerts: list[Alert]
    calls: list[Call]
    feedback: list[FeedbackAttempt] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)

    def attachments_of_event(self, event_id: int) -> list[Attachment]:
        return [a for a in self.attachments if a.event_id == event_id]

    @property
    def pending_requests(self) -> list[ComplaintRequest]:
        return [r for r in self.requests if r.status.value == "pending"]


def timeline(*, session: Session, complaint: Complaint) -> Timeline:
    """The complaint's timeline (its history rows are `complaint.history`)."""
    return Timeline(complaint=complaint,
                    explanations=of_complaint(session=session, complaint=complaint),
                    requests=requests_of(session=session, complaint=complaint),
                    attachments=attachments_of(session=session, complaint=complaint),
                    transfers=transfers_of(session=session, complaint=complaint),
                    alerts=alerts_of(session=session, complaint=complaint),
                    calls=list(session.scalars(select(Call).where(Call.complaint_id == complaint.id)
                                               .order_by(Call.started_at))),
                    feedback=attempts_of(session=session, complaint=complaint),
                    callbacks=list(session.scalars(select(Callback).where(Callback.complaint_id == complaint.id)
                                                   .order_by(Callback.requested_at))))
