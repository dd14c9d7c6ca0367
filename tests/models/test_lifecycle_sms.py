"""The citizen hears of every step that matters, by SMS queued in the step's own transaction."""

from __future__ import annotations

from sqlalchemy import select

from models.complaints.lifecycle import close, escalate, reopen, resolve
from models.notifications.outbox import OutboxMessage
from tests.factories import make_complaint


def kinds(session, complaint) -> list[str]:
    return list(session.scalars(select(OutboxMessage.kind).where(OutboxMessage.complaint_id == complaint.id)
                                .order_by(OutboxMessage.id)))


def test_each_step_queues_its_sms_in_the_citizens_language(session):
    complaint = make_complaint(session)
    before = kinds(session, complaint)
    escalate(session=session, complaint=complaint)
    resolve(session=session, complaint=complaint, actor="user:officer", resolution="हैंडपंप ठीक कराया गया")
    reopen(session=session, complaint=complaint, actor="ivr:feedback", reason="नागरिक संतुष्ट नहीं")
    resolve(session=session, complaint=complaint, actor="user:officer", resolution="दोबारा ठीक कराया")
    close(session=session, complaint=complaint, actor="ivr:feedback")
    assert kinds(session, complaint)[len(before):] == ["escalated", "resolved", "reopened", "resolved", "closed"]
    body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.complaint_id == complaint.id,
                                                             OutboxMessage.kind == "resolved")).first()
    assert complaint.public_id in body and "शिकायत" in body  # Hindi, with the complaint's ID
