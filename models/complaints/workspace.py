"""An officer's workspace: the open complaints of their jurisdiction, the least time left first,
with filters; and the department's figures for its secretary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, scope
from models.complaints.status import OPEN, ComplaintStatus
from models.core.base import utcnow


@dataclass(frozen=True)
class Filters:
    status: str = ""       # one status; empty: every open one
    level: str = ""        # "1".."4"
    district: str = ""     # district code
    overdue: bool = False  # only those past their due time
    mine: bool = False     # only those the officer holds
    text: str = ""         # ID, or words of the description or the citizen's name

    def checked(self) -> Filters:
        """InvalidField naming the filter that is not valid."""
        if self.status and self.status not in {s.value for s in ComplaintStatus}:
            raise InvalidField("status", f"unknown status {self.status!r}", code="unknown")
        if self.level and self.level not in ("1", "2", "3", "4"):
            raise InvalidField("level", "L1 to L4", code="unknown")
        return self


def workspace(*, session: Session, actor: Actor, filters: Filters = Filters(), now: datetime | None = None,
              page: int = 1, per_page: int = 100) -> tuple[list[Complaint], int]:
    """A page of the complaints `actor` sees that match `filters`, the least time left first (no due
    time last), and how many match in all."""
    filters = filters.checked()
    now = now or utcnow()
    query = select(Complaint).where(scope(actor))
    if filters.status:
        query = query.where(Complaint.status == ComplaintStatus(filters.status))
    else:
        query = query.where(Complaint.status.in_(sorted(OPEN)))
    if filters.level:
        query = query.where(Complaint.level == int(filters.level))
    if filters.district:
        query = query.where(Complaint.district_code == filters.district.upper())
    if filters.overdue:
        query = query.where(Complaint.due_at < now)
    if filters.mine:
        query = query.where(Complaint.officer_id == actor.officer_id)
    if filters.text.strip():
        text = filters.text.strip()
        pattern = f"%{text}%"
        query = query.where(or_(Complaint.public_id == text.replace(" ", "").replace("-", ""),
                                Complaint.description.like(pattern), Complaint.citizen_name.like(pattern)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    # NULLS LAST rather than ORDER BY (due_at IS NULL): an index on due_at then gives the first page.
    query = query.order_by(Complaint.due_at.asc().nulls_last(), Complaint.id)
    return list(session.scalars(query.limit(per_page).offset((max(page, 1) - 1) * per_page))), total


def department_figures(*, session: Session, department_code: str) -> dict:
    """For the secretary: the department's complaints by status, and the resolved ones by the level
    that resolved them (special and force closures counted apart)."""
    by_status = dict(session.execute(
        select(Complaint.status, func.count()).where(Complaint.department_code == department_code)
        .group_by(Complaint.status)).all())
    by_level = dict(session.execute(
        select(Complaint.resolved_level, func.count())
        .where(Complaint.department_code == department_code, Complaint.resolved_level.is_not(None))
        .group_by(Complaint.resolved_level)).all())
    return {"by_status": {getattr(k, "value", k): v for k, v in by_status.items()},
            "resolved_by_level": {f"L{k}": v for k, v in sorted(by_level.items())}}
