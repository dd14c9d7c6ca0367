"""The complaints behind one number of a report: the same condition the count used, a page at a
time, with no personal data (ID, status, level, place, dates)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.core.base import utcnow
from models.reports.buckets import condition
from models.reports.scope import Scope

FIELDS = (Complaint.public_id, Complaint.status, Complaint.level, Complaint.resolved_level,
          Complaint.department_code, Complaint.district_code, Complaint.channel,
          Complaint.registered_at, Complaint.due_at, Complaint.resolved_at)


def complaints_behind(*, session: Session, scope: Scope, measure: str, key: str = "all",
                      now: datetime | None = None, within=None, page: int = 1,
                      per_page: int = 100) -> tuple[list[dict], int]:
    """A page of the complaints counted by (`measure`, `key`) in `scope`, the newest first, and how
    many there are; KeyError for an unknown measure or key."""
    where = [scope.conditions(), condition(measure, key, now or utcnow())]
    if within is not None:
        where.append(within)
    total = session.scalar(select(func.count()).where(*where)) or 0
    rows = session.execute(select(*FIELDS).where(*where)
                           .order_by(Complaint.registered_at.desc(), Complaint.id.desc())
                           .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return [dict(row._mapping) for row in rows], total
