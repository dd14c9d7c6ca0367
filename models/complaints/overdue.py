"""What the SLA sweep does to one overdue complaint, planned from a few of its columns: the
complaint's new columns, its history rows, the citizen's SMS, the explanation asked of the officer
who missed, the alert at L4 (or at L3 while referral is manual).

One plan, two writers: `apply` to a complaint loaded in the session (one at a time), `write` to a
batch of them with a few statements (an UPDATE executed for many rows, multi-row INSERTs). The
rules themselves are the one-complaint services' (`one_level_up`, `changed`, `history_row`,
`sms_event`, `complaint_sms`, `explanation_row`, `alert_row`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from models.complaints.alerts import Alert, AlertKind, alert_row
from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.explanations import Explanation, explanation_row
from models.complaints.lifecycle import one_level_up
from models.complaints.routing import Routes
from models.complaints.service import add_history, changed, history_row, sms_event
from models.complaints.status import RUNNING, Action
from models.notifications.outbox import OutboxMessage, complaint_sms

SYSTEM = "system:sla"
# The columns a plan reads: the sweep claims only these.
COLUMNS = (Complaint.id, Complaint.public_id, Complaint.status, Complaint.level, Complaint.officer_id,
           Complaint.due_at, Complaint.overdue_flagged_at, Complaint.category_code,
           Complaint.district_code, Complaint.block_id, Complaint.mobile, Complaint.language,
           Complaint.reopen_count)


class ChangedMeanwhile(Exception):
    """A complaint of the batch was no longer as planned when written (changed by someone else)."""


@dataclass
class Plan:
    complaint_id: int
    missed_due_at: datetime  # the due time that passed: the batch's UPDATE checks it is still so
    columns: dict
    history: list[dict] = field(default_factory=list)
    sms: dict | None = None
    explanation: dict | None = None
    alert: dict | None = None


def is_overdue(complaint, now: datetime) -> bool:
    return complaint.status in RUNNING and complaint.due_at is not None and complaint.due_at < now \
        and complaint.overdue_flagged_at is None


def plan(*, session: Session, complaint, now: datetime, routes: Routes, manual_l3: bool,
         explanation_days: int, asked: set[tuple[int, int, int]], alerted: set[str]) -> Plan:
    """The plan for one overdue `complaint` (anything with COLUMNS): escalated one level (or
    flagged at L4, or at L3 when `manual_l3`), and the officer who missed asked to explain (due in
    `explanation_days` working days) unless (complaint, level, round) is in `asked`; an alert
    unless its key is in `alerted`. Raises
    NoOfficerConfigured (and the like) before anything is planned."""
    officer_id, level, due = complaint.officer_id, complaint.level or 1, complaint.due_at
    old_status = complaint.status
    if level >= 4 or (level == 3 and manual_l3):
        kind = AlertKind.BEYOND_L4 if level >= 4 else AlertKind.L3_OVERDUE
        after = _after(complaint, overdue_flagged_at=now, last_action_at=now)
        result = Plan(complaint.id, due, dict(overdue_flagged_at=now, last_action_at=now))
        result.history.append(history_row(after, actor=SYSTEM, channel="system", action=kind.value,
                                          from_status=old_status, at=now,
                                          note=f"deadline at L{level} passed; stays at L{level}"))
        alert = alert_row(kind=kind, complaint=after, officer_id=officer_id, at=now,
                          key=f"{complaint.reopen_count}:{due.isoformat()}",
                          note=f"overdue at L{level} since {due.isoformat()}")
        result.alert = None if alert["key"] in alerted else alert
    else:
        columns = changed(complaint, action=Action.ESCALATE, at=now,
                          changes=one_level_up(session=session, complaint=complaint, at=now, routes=routes))
        after = _after(complaint, **columns)
        result = Plan(complaint.id, due, columns)
        result.history.append(history_row(after, actor=SYSTEM, channel="system",
                                          action=Action.ESCALATE.value, from_status=old_status, at=now,
                                          note=f"deadline at L{level} passed; escalated"))
        event = sms_event(after, old_status)
        result.sms = complaint_sms(after, event) if event else None
    if officer_id is not None and (complaint.id, level, complaint.reopen_count or 0) not in asked:
        result.explanation = explanation_row(complaint, officer_id=officer_id, level=level,
                                             missed_due_at=due, at=now, calendar=routes.calendar(session),
                                             days=explanation_days)
        result.history.append(history_row(
            after, actor=SYSTEM, channel="system", action="explanation_requested",
            from_status=after.status, at=now,
            note=f"the L{level} officer is asked why the deadline of {due.isoformat()} was missed"))
    return result


def _after(complaint, **columns) -> SimpleNamespace:
    """The complaint as it will be: its COLUMNS with `columns` changed."""
    return SimpleNamespace(**{c.key: getattr(complaint, c.key) for c in COLUMNS} | columns)


def asked_and_alerted(session: Session, complaints: list) -> tuple[set, set[str]]:
    """The explanations asked already, as (complaint, level, round), and the alerts raised already,
    by key, of these complaints (anything with COLUMNS; alerts only of those at L3 or L4)."""
    ids = [c.id for c in complaints]
    flagged = [c.id for c in complaints if (c.level or 1) >= 3]
    asked = set(session.execute(select(Explanation.complaint_id, Explanation.level, Explanation.round)
                                .where(Explanation.complaint_id.in_(ids)))) if ids else set()
    alerted = set(session.scalars(select(Alert.key).where(Alert.complaint_id.in_(flagged)))) if flagged else set()
    return asked, alerted


def apply(session: Session, complaint: Complaint, planned: Plan) -> None:
    """Write `planned` through the complaint loaded in the session (one complaint at a time)."""
    for name, value in planned.columns.items():
        setattr(complaint, name, value)
    for row in planned.history:
        add_history(session, complaint, row)
    for model, row in ((OutboxMessage, planned.sms), (Explanation, planned.explanation), (Alert, planned.alert)):
        if row is not None:
            session.add(model(**row))
    session.flush()
    if "officer_id" in planned.columns:
        session.expire(complaint, ["officer"])  # reload the officer after its key changed


def write(session: Session, plans: list[Plan]) -> None:
    """Write a batch of plans with a few statements: the complaints' UPDATE executed for many rows
    (each only while its missed due time is still its due time and it is not flagged), one INSERT
    (of 1,000 rows at most each) of history rows, SMS, explanations and alerts. ChangedMeanwhile if a complaint was not
    as planned; the caller rolls the batch back."""
    connection, table = session.connection(), Complaint.__table__  # Core: no ORM on the way
    for names, group in itertools.groupby(sorted(plans, key=lambda p: sorted(p.columns)),
                                          key=lambda p: sorted(p.columns)):
        group = list(group)
        statement = update(table).where(table.c.id == bindparam("planned_id"),
                                        table.c.due_at == bindparam("planned_due"),
                                        table.c.overdue_flagged_at.is_(None))
        rows = [dict(p.columns, planned_id=p.complaint_id, planned_due=p.missed_due_at) for p in group]
        written = connection.execute(statement, rows).rowcount
        if written != len(rows):
            raise ChangedMeanwhile(f"{len(rows) - written} of {len(rows)} complaints changed meanwhile")
    for model, rows in ((ComplaintEvent, [row for p in plans for row in p.history]),
                        (OutboxMessage, [p.sms for p in plans if p.sms]),
                        (Explanation, [p.explanation for p in plans if p.explanation]),
                        (Alert, [p.alert for p in plans if p.alert])):
        if rows:
            connection.execute(insert(model.__table__), rows)
