"""The tables beside the numbers: per district, per department, per channel (ranked), from the
measures' one pass (measures.tally) grouped by them; per officer from the history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, distinct, func, literal, select, union_all
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation
from models.people.officers import Officer
from models.reports import measures, rollup
from models.reports.buckets import LEVELS, is_open, is_resolved
from models.reports.measures import Counts
from models.reports.scope import Scope

COLUMNS = ("registered", "open", "overdue", "resolved", "L1", "L2", "L3", "L4", "satisfied",
           "special", "force", "reopened")


# The counts (measures.tally's names) a table row is made of.
COUNTED = ("registered", "open", "overdue", "resolved", *(f"resolved_{level}" for level in LEVELS),
           "closure_satisfied", "closure_special", "closure_force", "reopened")


def row_of(code, counts: Counts) -> dict:
    """One table row (before ranking) from a group's counts."""
    return {"code": code, "registered": counts.get("registered", 0), "open": counts.get("open", 0),
            "overdue": counts.get("overdue", 0), "resolved": counts.get("resolved", 0),
            **measures.resolved_levels(counts),
            **{kind: counts.get(f"closure_{kind}", 0) for kind in ("satisfied", "special", "force")},
            "reopened": counts.get("reopened", 0)}


def resolved_share(row: dict) -> float | None:
    """Resolved by an officer, of those registered (the ranking's key)."""
    return round(row["resolved"] / row["registered"], 4) if row["registered"] else None


def ranked(groups: dict[tuple, Counts], position: int = 0) -> list[dict]:
    """The table by the `position`-th key of `groups` (a tally's rows), ranked: the highest share
    resolved first, then the fewest overdue, then by code."""
    by_code: dict = {}
    for key, counts in groups.items():
        by_code.setdefault(key[position], []).append(counts)
    table = []
    for code, parts in by_code.items():
        row = row_of(getattr(code, "value", code), measures.combined(parts))
        row["resolved_share"] = resolved_share(row)
        table.append(row)
    table.sort(key=lambda r: (-(r["resolved_share"] or 0), r["overdue"], r["code"] or ""))
    for rank, row in enumerate(table, start=1):
        row["rank"] = rank
    return table


def _table(session: Session, scope: Scope, key, now: datetime | None) -> list[dict]:
    return ranked(measures.tally(session=session, scope=scope, now=now, by=(key,), names=COUNTED))


def by_district(*, session: Session, scope: Scope, now: datetime | None = None) -> list[dict]:
    """One row per district of the scope, ranked."""
    return _table(session, scope, Complaint.district_code, now)


def by_department(*, session: Session, scope: Scope, now: datetime | None = None) -> list[dict]:
    """One row per department of the scope, ranked."""
    return _table(session, scope, Complaint.department_code, now)


def by_channel(*, session: Session, scope: Scope, now: datetime | None = None) -> list[dict]:
    """One row per channel: the CM's and the Collectors' Jandarshan applications as their own slices."""
    return _table(session, scope, Complaint.channel, now)


OFFICER_COLUMNS = ("assigned", "holding", "resolved_in_time", "resolved_late", "escalated_away", "missed_deadlines",
                   "explanations_pending", "explanations_rejected")
REACHED = ("assign", "escalate", "reopen")  # history rows that hand a complaint to an officer


def by_officer(*, session: Session, scope: Scope, within=None) -> list[dict]:
    """Per officer, for the scope's complaints (and `within`, a condition on Complaint such as an
    officer's jurisdiction): complaints assigned to them, holding now, resolved in time and late
    (against the due time at the level that resolved it), deadlines missed (each one asked an
    explanation), escalated away from them (to the next level, by the clock or by them), explanations
    pending and rejected. Without `within`, the days the roll-up holds are read from it."""
    where = (scope.conditions(), within) if within is not None else (scope.conditions(),)
    share = rollup.plan(session=session, scope=scope) if within is None and not scope.channel else None
    if share is None:
        counted = _counted(session, where)
        missed = _missed(session, measures.about(*where))
    else:
        stored = rollup.stored_officers(session=session, plan_=share)
        width = len(rollup.OFFICER_COUNTS)
        counted = {officer: numbers[:width] for officer, numbers in stored.items()}
        missed = {officer: numbers[width:] for officer, numbers in stored.items()}
        if share.live is not None:
            _add(counted, _counted(session, (share.live.conditions(),)))
            _add(missed, _missed(session, measures.of_slice(share.live.conditions())))
    ids = sorted(set(counted) | set(missed))
    names = {row.id: row for row in session.execute(
        select(Officer.id, Officer.level, Officer.designation_hi, Officer.designation_en)
        .where(Officer.id.in_(ids)))}
    table = []
    for officer in ids:
        numbers = [*counted.get(officer, (0,) * len(rollup.OFFICER_COUNTS)), *missed.get(officer, (0, 0, 0))]
        who = names.get(officer)
        table.append({"officer_id": officer, "level": who.level if who else None,
                      "designation_hi": who.designation_hi if who else "",
                      "designation_en": who.designation_en if who else "",
                      **dict(zip(OFFICER_COLUMNS, numbers))})
    return table


def _add(into: dict[int, list[int]], more: dict[int, list[int]]) -> None:
    """Each officer's numbers of `more` added to theirs in `into` (an officer not there yet: as is)."""
    for officer, numbers in more.items():
        into[officer] = [a + b for a, b in zip(into.get(officer, [0] * len(numbers)), numbers)]


def _counted(session: Session, where) -> dict[int, list[int]]:
    """officer -> rollup.OFFICER_COUNTS of the complaints meeting `where`."""
    return {officer: numbers for (officer,), numbers in officer_counts(session=session, where=where).items()}


def _missed(session: Session, about) -> dict[int, list[int]]:
    """officer -> rollup.OFFICER_EXPLANATIONS (deadlines missed, explanations pending and rejected)
    of the explanations meeting `about`."""
    return {officer: rest for officer, *rest in session.execute(
        select(Explanation.officer_id, *measures.missed_columns()).where(about).group_by(Explanation.officer_id))}




def officer_counts(*, session: Session, where, by: Sequence = ()) -> dict[tuple, list[int]]:
    """(officer, the `by` columns' values) -> rollup.OFFICER_COUNTS (assigned, holding, resolved in
    time, resolved late, escalated away) of the complaints meeting `where` (conditions on Complaint)."""
    numbers: dict[tuple, list[int]] = {}

    def add(position: int, rows) -> None:
        for key, n in rows:
            numbers.setdefault(key, [0] * len(rollup.OFFICER_COUNTS))[position] += n

    for officer, *rest in session.execute(
            select(Complaint.officer_id, *by, func.count().filter(is_open()),
                   func.count().filter(and_(is_resolved(), Complaint.resolved_at <= Complaint.due_at)),
                   func.count().filter(and_(is_resolved(), Complaint.resolved_at > Complaint.due_at)))
            .where(*where, Complaint.officer_id.is_not(None)).group_by(Complaint.officer_id, *by)):
        key = (officer, *rest[:len(by)])
        for position, n in enumerate(rest[len(by):], start=1):
            add(position, [(key, n)])
    # The scope's history read once: assigned (distinct complaints reached by each officer) and
    # escalated away (an escalation whose previous history row had the complaint with this officer).
    previous = func.lag(ComplaintEvent.officer_id).over(partition_by=ComplaintEvent.complaint_id,
                                                        order_by=ComplaintEvent.id)
    history = (select(ComplaintEvent.complaint_id, ComplaintEvent.action, ComplaintEvent.officer_id,
                      previous.label("previous"), *by)
               .join(Complaint, ComplaintEvent.complaint_id == Complaint.id).where(*where).cte("history"))
    h = history.c
    grouped = [h[column.key] for column in by]
    for kind, officer, *rest in session.execute(union_all(
            select(literal("assigned"), h.officer_id, *grouped, func.count(distinct(h.complaint_id)))
            .where(h.action.in_(REACHED), h.officer_id.is_not(None)).group_by(h.officer_id, *grouped),
            select(literal("escalated"), h.previous, *grouped, func.count())
            .where(h.action == "escalate", h.previous.is_not(None)).group_by(h.previous, *grouped))):
        add(0 if kind == "assigned" else 4, [((officer, *rest[:-1]), rest[-1])])
    return numbers
