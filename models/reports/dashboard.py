"""A whole report for one scope, as the API and the dashboard serve it (one JSON for both)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.core.base import utcnow
from models.reports import measures, tables, timing
from models.reports.scope import Scope

# The tables a summary can bring, each one a column its pass groups by.
GROUPS = {"districts": Complaint.district_code, "channels": Complaint.channel,
          "departments": Complaint.department_code}


def summary(*, session: Session, scope: Scope, now: datetime | None = None,
            with_tables: tuple[str, ...] = ()) -> dict:
    """Every measure of the scope as of `now`, and the ranked `with_tables` ("districts", "channels",
    "departments"): one pass over the scope's complaints grouped by the tables' columns (the
    summary is their sum), then explanations, transfers and the days' 90th percentile."""
    now = now or utcnow()
    groups = measures.tally(session=session, scope=scope, now=now, by=[GROUPS[name] for name in with_tables])
    counts = measures.combined(groups.values())
    return {
        **scope.header(),
        "as_of": now.isoformat(),
        "registered": counts.get("registered", 0),
        "open": measures.open_levels(counts),
        "open_by_status": measures.open_statuses(counts),
        "overdue": measures.overdue_levels(counts),
        "resolved": measures.resolved_levels(counts),
        "closures": measures.closure_types(counts),
        "days_to_resolve": _days(session, scope, counts),
        "satisfaction": measures.satisfaction_of(counts),
        "reopened": measures.reopened_of(counts),
        "explanations": measures.explanations(session=session, scope=scope, now=now),
        "transfers": measures.transfers(session=session, scope=scope),
        **{name: tables.ranked(groups, position) for position, name in enumerate(with_tables)},
    }


def _days(session: Session, scope: Scope, counts: measures.Counts) -> dict:
    return timing.days_to_resolve(session=session, scope=scope, count=counts.get("days_count", 0),
                                  total=counts.get("days_sum"))


def days_to_resolve(*, session: Session, scope: Scope, now: datetime | None = None) -> dict:
    """The days to resolve alone: their count and sum as the summary counts them (the roll-up's,
    today live), the 90th percentile from the roll-up's histogram."""
    names = ("days_count", "days_sum")
    return _days(session, scope, measures.combined(measures.tally(session=session, scope=scope, now=now,
                                                                  names=names).values()))


# The API's measures by name: GET /api/v1/reports/<name>.
MEASURES = {
    "resolution-levels": ("resolved", lambda s, sc, now: measures.resolved_by_level(session=s, scope=sc)),
    "open": ("open", lambda s, sc, now: measures.open_by_level(session=s, scope=sc)),
    "open-by-status": ("open_by_status", lambda s, sc, now: measures.open_by_status(session=s, scope=sc)),
    "overdue": ("overdue", lambda s, sc, now: measures.overdue_by_level(session=s, scope=sc, now=now)),
    "closures": ("closures", lambda s, sc, now: measures.closures_by_type(session=s, scope=sc)),
    "days-to-resolve": ("days_to_resolve", lambda s, sc, now: days_to_resolve(session=s, scope=sc, now=now)),
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
