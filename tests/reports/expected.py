"""Report numbers counted the plain way: loops over every row of the database, no SQL grouping."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation
from models.complaints.transfers import ComplaintTransfer

INDIA = ZoneInfo("Asia/Kolkata")
OPEN = {"registered", "assigned", "in_progress", "escalated", "returned", "reopened", "with_nodal", "paused"}


def in_scope(c, date_from: date, date_to: date, department=None, district=None, channel=None) -> bool:
    if c.registered_at is None:
        return False
    day = c.registered_at.astimezone(INDIA).date()
    return (date_from <= day <= date_to and (department is None or c.department_code == department)
            and (district is None or c.district_code == district)
            and (channel is None or c.channel.value == channel))


def complaints(session, **scope) -> list[Complaint]:
    return [c for c in session.scalars(select(Complaint)) if in_scope(c, **scope)]


def closure(c) -> str | None:
    status = c.status.value
    if status == "special_closed":
        return "special"
    if status == "force_closed":
        return "force"
    if status == "closed":
        return {"satisfied": "satisfied", "no_response": "no_response"}.get(c.closure_reason, "unrecorded")
    return None


def resolved(c) -> bool:
    return c.status.value in ("resolved", "closed") and c.resolved_level is not None


def overdue(c, now) -> bool:
    return c.status.value in OPEN - {"paused"} and c.due_at is not None and c.due_at < now


def summary(session, now: datetime, **scope) -> dict:
    rows = complaints(session, **scope)
    levels = lambda pred, attr="level": {f"L{n}": sum(1 for c in rows if pred(c) and getattr(c, attr) == n)  # noqa: E731
                                          for n in (1, 2, 3, 4)}
    days = sorted((c.resolved_at - c.registered_at).total_seconds() / 86400 for c in rows
                  if resolved(c) and c.resolved_at)
    closures = Counter(closure(c) for c in rows if closure(c))
    reopenings = sum(c.reopen_count for c in rows)
    answered = closures["satisfied"] + closures["no_response"] + reopenings
    ids = {c.id for c in rows}
    expl = [e for e in session.scalars(select(Explanation)) if e.complaint_id in ids]
    events = [e for e in session.scalars(select(ComplaintEvent)) if e.complaint_id in ids]
    reopened_n = sum(1 for c in rows if c.reopen_count > 0)
    ever = sum(1 for c in rows if c.resolved_at is not None)
    return {
        "registered": len(rows),
        "open": levels(lambda c: c.status.value in OPEN),
        "open_by_status": {s: sum(1 for c in rows if c.status.value == s) for s in sorted(OPEN)},
        "overdue": levels(lambda c: overdue(c, now)),
        "resolved": levels(resolved, "resolved_level"),
        "closures": {k: closures.get(k, 0) for k in ("satisfied", "no_response", "special", "force", "unrecorded")},
        "days_to_resolve": {"count": len(days),
                            "average": sum(days) / len(days) if days else None,
                            "p90": days[math.ceil(0.9 * len(days)) - 1] if days else None},
        "satisfaction": {"satisfied": closures["satisfied"], "no_response": closures["no_response"],
                         "reopenings": reopenings,
                         "rate": round(closures["satisfied"] / answered, 4) if answered else None},
        "reopened": {"reopened": reopened_n, "resolved_ever": ever,
                     "share": round(reopened_n / ever, 4) if ever else None},
        "explanations": {
            "requested": len(expl),
            "pending": sum(1 for e in expl if e.status.value in ("requested", "submitted")),
            "overdue": sum(1 for e in expl if e.status.value == "requested" and e.due_at and e.due_at < now),
            "accepted": sum(1 for e in expl if e.status.value == "accepted"),
            "rejected": sum(1 for e in expl if e.status.value == "rejected")},
        "returns": {"returned_to_nodal": sum(1 for e in events if e.action == "refer_to_nodal"),
                    "sent_back": sum(1 for e in events if e.action == "return" and e.to_status == "returned")},
    }


def transfers(session, department, **scope) -> tuple[int, int]:
    ids = {c.id for c in complaints(session, **scope)}
    rows = [t for t in session.scalars(select(ComplaintTransfer)) if t.complaint_id in ids]
    return (sum(1 for t in rows if t.from_department == department),
            sum(1 for t in rows if t.to_department == department))


def by_key(session, now, key: str, **scope) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for c in complaints(session, **scope):
        row = table.setdefault(getattr(c, key), Counter())
        row["registered"] += 1
        row["open"] += c.status.value in OPEN
        row["overdue"] += overdue(c, now)
        row["resolved"] += resolved(c)
        if resolved(c):
            row[f"L{c.resolved_level}"] += 1
        row["satisfied"] += closure(c) == "satisfied"
        row["special"] += closure(c) == "special"
        row["force"] += closure(c) == "force"
        row["reopened"] += c.reopen_count > 0
    return table


def month_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=INDIA)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
