"""A whole report for one scope, as the API and the dashboard serve it (one JSON for both)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.core.base import utcnow
from models.reports import measures, tables, timing
from models.reports.scope import Scope


def summary(*, session: Session, scope: Scope, now: datetime | None = None) -> dict:
    """Every measure of the scope as of `now`."""
    now = now or utcnow()
    return {
        **scope.header(),
        "as_of": now.isoformat(),
        "registered": measures.registered(session=session, scope=scope),
        "open": measures.open_by_level(session=session, scope=scope),
        "open_by_status": measures.open_by_status(session=session, scope=scope),
        "overdue": measures.overdue_by_level(session=session, scope=scope, now=now),
        "resolved": measures.resolved_by_level(session=session, scope=scope),
        "closures": measures.closures_by_type(session=session, scope=scope),
        "days_to_resolve": timing.days_to_resolve(session=session, scope=scope),
        "satisfaction": measures.satisfaction(session=session, scope=scope),
        "reopened": measures.reopened(session=session, scope=scope),
        "explanations": measures.explanations(session=session, scope=scope, now=now),
        "transfers": measures.transfers(session=session, scope=scope),
    }


# The API's measures by name: GET /api/v1/reports/<name>.
MEASURES = {
    "resolution-levels": ("resolved", lambda s, sc, now: measures.resolved_by_level(session=s, scope=sc)),
    "open": ("open", lambda s, sc, now: measures.open_by_level(session=s, scope=sc)),
    "open-by-status": ("open_by_status", lambda s, sc, now: measures.open_by_status(session=s, scope=sc)),
    "overdue": ("overdue", lambda s, sc, now: measures.overdue_by_level(session=s, scope=sc, now=now)),
    "closures": ("closures", lambda s, sc, now: measures.closures_by_type(session=s, scope=sc)),
    "days-to-resolve": ("days_to_resolve", lambda s, sc, now: timing.days_to_resolve(session=s, scope=sc)),
    "satisfaction": ("satisfaction", lambda s, sc, now: measures.satisfaction(session=s, scope=sc)),
    "reopened": ("reopened", lambda s, sc, now: measures.reopened(session=s, scope=sc)),
    "explanations": ("explanations", lambda s, sc, now: measures.explanations(session=s, scope=sc, now=now)),
    "transfers": ("transfers", lambda s, sc, now: measures.transfers(session=s, scope=sc)),
    "districts": ("districts", lambda s, sc, now: tables.by_district(session=s, scope=sc, now=now)),
    "departments": ("departments", lambda s, sc, now: tables.by_department(session=s, scope=sc, now=now)),
    "channels": ("channels", lambda s, sc, now: tables.by_channel(session=s, scope=sc, now=now)),
    "officers": ("officers", lambda s, sc, now: tables.by_officer(session=s, scope=sc)),
}


def measure(*, session: Session, scope: Scope, name: str, now: datetime | None = None) -> dict:
    """One measure by its API name: {"department", "from", "to", …, key: value}; KeyError if unknown."""
    key, compute = MEASURES[name]
    return {**scope.header(), key: compute(session, scope, now or utcnow())}
