"""Days from registration to resolution: the average and the 90th percentile (nearest rank), each
computed by the database (the 90th percentile as one row at its rank, ORDER BY … DESC OFFSET)."""

from __future__ import annotations

import math

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.reports.buckets import is_resolved
from models.reports.scope import Scope


def days_to_resolve_expr(session: Session):
    """resolved_at − registered_at in days, in the dialect of `session`'s database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Complaint.resolved_at - Complaint.registered_at) / 86400.0
    return func.julianday(Complaint.resolved_at) - func.julianday(Complaint.registered_at)


def days_to_resolve(*, session: Session, scope: Scope, count: int | None = None,
                    total: float | None = None) -> dict:
    """{"count", "average", "p90"} in days (one decimal) over the resolved complaints of the scope;
    the p90 is the nearest-rank value: the ceil(0.9·n)-th smallest. `count` and `total` (the sum of
    the days), when the caller counted them already in its pass, spare that query."""
    days = days_to_resolve_expr(session)
    where = (scope.conditions(), is_resolved(), Complaint.resolved_at.is_not(None))
    given = count is not None
    if not given:
        count, total = session.execute(select(func.count(), func.sum(days)).where(*where)).one()
    if not count:
        return {"count": 0, "average": None, "p90": None}
    rank = math.ceil(0.9 * count)  # counted from the top: the sort keeps the longest tenth, not nine tenths
    p90 = session.scalar(select(days).where(*where).order_by(days.desc()).offset(count - rank).limit(1))
    if p90 is None and given:  # fewer rows than the count given (the roll-up's, a run behind): count them
        return days_to_resolve(session=session, scope=scope)
    return {"count": count, "average": round(float(total) / count, 1), "p90": round(float(p90), 1)}
