"""An officer's workspace: the open complaints of their jurisdiction, the least time left first,
with filters; and the department's figures for its secretary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select, union
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, scope_parts
from models.complaints.status import OPEN, ComplaintStatus
from models.core.base import utcnow

# In the order of the open-by-due-time indexes' predicate (models/complaints/complaint.py): the
# same list lets PostgreSQL see the condition as the index's own and not AND a scan of the status
# index (2.3 M rows at 10 M) into the jurisdiction's.
# (A new open status not in this list fails here, at import.)
OPEN_IN_ORDER = sorted(OPEN, key=("registered", "assigned", "in_progress", "escalated", "returned", "reopened",
                                  "with_nodal", "paused").index)


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
    where = []
    if filters.status:
        where.append(Complaint.status == ComplaintStatus(filters.status))
    else:
        where.append(Complaint.status.in_(OPEN_IN_ORDER))
    if filters.level:
        where.append(Complaint.level == int(filters.level))
    if filters.district:
        where.append(Complaint.district_code == filters.district.upper())
    if filters.overdue:
        where.append(Complaint.due_at < now)
    if filters.mine:
        where.append(Complaint.officer_id == actor.officer_id)
    if filters.text.strip():
        text = filters.text.strip()
        pattern = f"%{text}%"
        where.append(or_(Complaint.public_id == text.replace(" ", "").replace("-", ""),
                         Complaint.description.like(pattern), Complaint.citizen_name.like(pattern)))
    parts = scope_parts(actor)
    total = _count(session, parts, where)
    # NULLS LAST rather than ORDER BY (due_at IS NULL): an index on due_at then gives the first page.
    order = (Complaint.due_at.asc().nulls_last(), Complaint.id)
    offset = (max(page, 1) - 1) * per_page
    if len(parts) == 1:
        query = select(Complaint).where(parts[0], *where).order_by(*order)
        return list(session.scalars(query.limit(per_page).offset(offset))), total
    # Held by me OR my jurisdiction's: the page is among each part's first offset + per_page by due
    # time (each read in its index's order), not among all of the jurisdiction's sorted.
    firsts = [select(Complaint.id, Complaint.due_at).where(part, *where).order_by(*order)
              .limit(offset + per_page).subquery() for part in parts]
    both = union(*(select(first.c.id, first.c.due_at) for first in firsts)).subquery()
    ids = (select(both.c.id).order_by(both.c.due_at.asc().nulls_last(), both.c.id)
           .limit(per_page).offset(offset))
    return list(session.scalars(select(Complaint).where(Complaint.id.in_(ids)).order_by(*order))), total


def _count(session: Session, parts: list, where: list) -> int:
    """How many complaints of any of `parts` match `where`: the last part's (the jurisdiction's)
    count, plus each earlier part's (held by me) not in a later one. Each count is read from its
    part's index alone (the officers' index carries department and district, migration 0028); a
    count of their OR is a bitmap scan that reads the heap page of every complaint it counts."""
    counts = [select(func.count()).where(part, *where, *(~func.coalesce(later, false()) for later in parts[i + 1:]))
              .scalar_subquery() for i, part in enumerate(parts)]
    return session.scalar(select(sum(counts[1:], counts[0]))) or 0


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
