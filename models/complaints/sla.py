"""The SLA sweep: overdue complaints climb a level, and the officer who missed asks to explain."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.explanations import request_explanation
from models.complaints.lifecycle import AlreadyAtTopLevel, escalate
from models.complaints.routing import NoOfficerConfigured
from models.complaints.status import ComplaintStatus
from models.core.base import utcnow
from models.core.db import Database, default_database

log = logging.getLogger(__name__)
# Statuses whose clock runs at the officer's desk.
RUNNING = (ComplaintStatus.ASSIGNED, ComplaintStatus.IN_PROGRESS, ComplaintStatus.ESCALATED)


def overdue_ids(*, session: Session, now: datetime, limit: int) -> list[int]:
    """Up to `limit` overdue complaints below L4, oldest deadline first."""
    query = (select(Complaint.id).where(Complaint.status.in_(RUNNING), Complaint.due_at < now,
                                        Complaint.level < 4)
             .order_by(Complaint.due_at).limit(limit))
    return list(session.scalars(query))


def escalate_one(*, session: Session, complaint_id: int, now: datetime) -> bool:
    """Escalate one overdue complaint and request the explanation; False if another worker has it."""
    query = select(Complaint).where(Complaint.id == complaint_id)
    if session.get_bind().dialect.name == "postgresql":
        # Several workers share the sweep: a row another worker holds is skipped, not waited for.
        query = query.with_for_update(skip_locked=True)
    complaint = session.scalars(query).first()
    if complaint is None or complaint.status not in RUNNING or not complaint.due_at \
            or complaint.due_at >= now:
        return False
    missed_officer, missed_level, missed_due = complaint.officer_id, complaint.level, complaint.due_at
    escalate(session=session, complaint=complaint, actor="system:sla", at=now,
             note=f"deadline at L{missed_level} passed; escalated")
    if missed_officer is not None:
        request_explanation(session=session, complaint=complaint, officer_id=missed_officer,
                            level=missed_level, missed_due_at=missed_due)
    return True


def sweep_overdue(*, database: Database | None = None, now: datetime | None = None,
                  batch: int = 200) -> int:
    """One pass of the sweep, each complaint in its own transaction; returns how many climbed."""
    database = database or default_database()
    now = now or utcnow()
    with database.unit_of_work() as uow:
        ids = overdue_ids(session=uow.session, now=now, limit=batch)
    escalated = 0
    for complaint_id in ids:
        with database.unit_of_work() as uow:
            try:
                if escalate_one(session=uow.session, complaint_id=complaint_id, now=now):
                    uow.commit()
                    escalated += 1
            except (NoOfficerConfigured, AlreadyAtTopLevel) as exc:
                # One bad row is logged and skipped; the sweep goes on.
                log.warning("complaint %s not escalated: %s", complaint_id, exc)
            except Exception:
                log.exception("complaint %s: escalation failed", complaint_id)
    if escalated:
        log.info("SLA sweep: %d complaints escalated", escalated)
    return escalated
