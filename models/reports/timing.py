"""Days from registration to resolution: the average and the 90th percentile (nearest rank), shown
to a tenth of a day. The percentile is taken from a histogram — how many complaints were resolved
in each tenth of a day (each complaint's days rounded by the database, `tenths_to_resolve`) — read
from the reports' roll-up where it holds the scope's days (models/reports/rollup.py) and counted
live for the rest; the rounding is monotonic, so the percentile of the rounded days is the rounded
percentile."""

from __future__ import annotations

import math
from collections import Counter

from sqlalchemy import Integer, and_, cast, func, literal_column, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.reports import rollup
from models.reports.buckets import is_resolved
from models.reports.scope import Scope


def days_to_resolve_expr(session: Session):
    """resolved_at − registered_at in days, in the dialect of `session`'s database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Complaint.resolved_at - Complaint.registered_at) / 86400.0
    return func.julianday(Complaint.resolved_at) - func.julianday(Complaint.registered_at)


def tenths_to_resolve(session: Session):
    """The days to resolve in tenths of a day, rounded by the database (an integer); constants as
    SQL text, so PostgreSQL sees the same expression in the SELECT and the GROUP BY."""
    if session.get_bind().dialect.name == "postgresql":
        tenths = func.round(func.extract("epoch", Complaint.resolved_at - Complaint.registered_at)
                            / literal_column("8640"))
    else:
        tenths = func.round((func.julianday(Complaint.resolved_at) - func.julianday(Complaint.registered_at))
                            * literal_column("10"))
    return cast(tenths, Integer)


def resolved_with_days():
    """The complaints the days are counted over: resolved, with a resolution time."""
    return and_(is_resolved(), Complaint.resolved_at.is_not(None))


def live_days(session: Session, scope: Scope) -> tuple[Counter, int, float | None]:
    """(the histogram: tenths -> complaints, their count, the sum of their days), counted live."""
    tenths = tenths_to_resolve(session)
    rows = session.execute(select(tenths, func.count(), func.sum(days_to_resolve_expr(session)))
                           .where(scope.conditions(), resolved_with_days()).group_by(tenths)).all()
    histogram = Counter({t: n for t, n, _ in rows})
    return histogram, sum(histogram.values()), (sum(float(s) for _, _, s in rows) if rows else None)


def days_to_resolve(*, session: Session, scope: Scope, count: int | None = None,
                    total: float | None = None) -> dict:
    """{"count", "average", "p90"} in days (one decimal) over the resolved complaints of the scope;
    the p90 is the nearest-rank value: the ceil(0.9·n)-th smallest. `count` and `total` (the sum of
    the days), when the caller counted them already in its pass (the roll-up's and today's), let
    the histogram be read from the roll-up too; without them, or when the histogram's count is not
    theirs (the job committed between the two reads), everything is counted live."""
    histogram = stored_histogram(session, scope) if count is not None else None
    if histogram is None or sum(histogram.values()) != count:
        histogram, count, total = live_days(session, scope)
    if not count:
        return {"count": 0, "average": None, "p90": None}
    return {"count": count, "average": round(float(total) / count, 1), "p90": percentile(histogram, 0.9) / 10}


def stored_histogram(session: Session, scope: Scope) -> Counter | None:
    """The scope's histogram from the roll-up (its months' and days' rows, today live), or None
    when the roll-up does not hold it (not built, an officer's own, one district or channel)."""
    share = rollup.plan(session=session, scope=scope)
    if share is None:
        return None
    stored = rollup.stored_days_to_resolve(session=session, plan_=share)
    if stored is None:
        return None
    histogram = Counter(stored)
    if share.live is not None:
        histogram.update(live_days(session, share.live)[0])
    return histogram


def percentile(histogram: Counter, share: float) -> int:
    """The nearest-rank value of a histogram (value -> how many): the ceil(share·n)-th smallest."""
    rank, seen = math.ceil(share * sum(histogram.values())), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("an empty histogram has no percentile")
