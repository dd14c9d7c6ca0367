"""The SLA sweep, as of a moment `now`: overdue complaints climb a level and the officer who missed
asks to explain; at 75 % of the time allowed the officer is warned; an approved pause ends at its cap.

Past due at L4 a complaint stays with the secretary and joins the beyond-L4 list with an alert; at
L3 it climbs to L4 by itself unless HELPLINE_L3_TO_L4=manual, when the L3 officer must refer it.
A pass claims a batch (100) of due complaints at a time, in one transaction, and handles each in
a SAVEPOINT of its own: a bad row is logged, rolled back alone and not asked for again in the
pass. On PostgreSQL the claim skips rows another worker holds (FOR UPDATE SKIP LOCKED), so
several workers take different rows and never move a complaint twice. Batches follow one another
until nothing is due or the pass's budget (50 s; the sweep runs every 60 s) has gone. The
officers and the working calendar are looked up once a pass (`models.complaints.routing.Routes`).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.complaints.alerts import AlertKind, raise_alert
from models.complaints.complaint import Complaint
from models.complaints.explanations import request_explanation
from models.complaints.lifecycle import AlreadyAtTopLevel, escalate
from models.complaints.requests import resume
from models.complaints.routing import NoOfficerConfigured, Routes
from models.complaints.service import record
from models.complaints.status import OPEN, RUNNING, ComplaintStatus
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import get_settings

log = logging.getLogger(__name__)
SYSTEM = "system:sla"
BUDGET = 50.0  # seconds a pass goes on while rows are due (the sweep runs every 60 s)


def _claim(session: Session, ids_query, batch: int, skipped: set[int]) -> list[Complaint]:
    """The next `batch` complaints of `ids_query` but `skipped` (bad rows stay due), locked for
    this transaction: on PostgreSQL rows another worker holds are skipped, not waited for, so two
    workers take different rows."""
    if skipped:
        ids_query = ids_query.where(Complaint.id.not_in(skipped))
    query = ids_query.with_only_columns(Complaint).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _each(database: Database | None, ids_query, handle: Callable[..., bool], now: datetime,
          batch: int, what: str, budget: float | None) -> int:
    """Run `handle(session=, complaint=, now=)` on the rows of `ids_query`: `batch` claimed at a
    time in one transaction, each in a SAVEPOINT of its own, so a bad row undoes only itself;
    batches follow one another until none is left or `budget` seconds have gone (None: one batch)."""
    database = database or default_database()
    deadline = time.monotonic() + (budget or 0)
    skipped: set[int] = set()
    done = 0
    while True:
        with database.unit_of_work() as uow:
            claimed = _claim(uow.session, ids_query, batch, skipped)
            handled = 0
            for complaint in claimed:
                complaint_id = complaint.id
                try:
                    with uow.session.begin_nested():
                        if handle(session=uow.session, complaint=complaint, now=now):
                            handled += 1
                            continue
                    skipped.add(complaint_id)  # no longer due: not asked for again in this pass
                except (NoOfficerConfigured, AlreadyAtTopLevel) as exc:
                    # One bad row is logged and skipped; the sweep goes on.
                    skipped.add(complaint_id)
                    log.warning("complaint %s: %s skipped: %s", complaint_id, what, exc)
                except Exception:
                    skipped.add(complaint_id)
                    log.exception("complaint %s: %s failed", complaint_id, what)
            uow.commit()
        done += handled
        if len(claimed) < batch or time.monotonic() >= deadline:
            break
    if done:
        log.info("%s: %d complaints", what, done)
    return done


def _overdue_query(now: datetime):
    return (select(Complaint.id).where(Complaint.status.in_(list(RUNNING)), Complaint.due_at < now,
                                       Complaint.overdue_flagged_at.is_(None))
            .order_by(Complaint.due_at))


def handle_overdue(*, session: Session, complaint: Complaint, now: datetime,
                   routes: Routes | None = None) -> bool:
    """Escalate one overdue complaint (or flag it at L4, or at L3 when referral is manual) and
    ask the officer who missed for an explanation; False if it is no longer overdue. `routes`
    keeps the officers and the working calendar for a pass."""
    if complaint.status not in RUNNING or not complaint.due_at or complaint.due_at >= now \
            or complaint.overdue_flagged_at is not None:
        return False
    officer_id, level, due = complaint.officer_id, complaint.level or 1, complaint.due_at
    manual = level == 3 and get_settings().l3_to_l4 == "manual"
    if level >= 4 or manual:
        kind = AlertKind.BEYOND_L4 if level >= 4 else AlertKind.L3_OVERDUE
        complaint.overdue_flagged_at = now
        record(session=session, complaint=complaint, actor=SYSTEM, channel="system", at=now,
               action=kind.value, note=f"deadline at L{level} passed; stays at L{level}")
        raise_alert(session=session, kind=kind, complaint=complaint, officer_id=officer_id, at=now,
                    key=f"{complaint.reopen_count}:{due.isoformat()}",
                    note=f"overdue at L{level} since {due.isoformat()}")
    else:
        escalate(session=session, complaint=complaint, actor=SYSTEM, at=now, routes=routes,
                 note=f"deadline at L{level} passed; escalated")
    if officer_id is not None:
        asked = request_explanation(session=session, complaint=complaint, officer_id=officer_id,
                                    level=level, missed_due_at=due, at=now,
                                    calendar=routes.calendar(session) if routes else None)
        if asked.requested_at == now:  # asked now, not before
            record(session=session, complaint=complaint, actor=SYSTEM, channel="system", at=now,
                   action="explanation_requested",
                   note=f"the L{level} officer is asked why the deadline of {due.isoformat()} was missed")
    return True


def sweep_overdue(*, database: Database | None = None, now: datetime | None = None,
                  batch: int = 100, budget: float | None = BUDGET) -> int:
    """One pass of the sweep, each complaint in its own transaction; returns how many it handled."""
    now = now or utcnow()
    handle = functools.partial(handle_overdue, routes=Routes())  # officers, calendar: once a pass
    return _each(database, _overdue_query(now), handle, now, batch, "SLA sweep", budget)


def warn_one(*, session: Session, complaint: Complaint, now: datetime) -> bool:
    """Warn the officer holding the complaint that 75 % of the time allowed has gone (once)."""
    if complaint.status not in RUNNING or complaint.warn_at is None or complaint.warn_at > now:
        return False
    complaint.warn_at = None
    if complaint.due_at is not None and complaint.due_at < now:
        return True  # already overdue: the sweep moves it; a warning now would be noise
    level = complaint.level or 1
    record(session=session, complaint=complaint, actor=SYSTEM, channel="system", action="warning",
           at=now, note=f"75% of the time at L{level} has gone; due {complaint.due_at.isoformat()}")
    raise_alert(session=session, kind=AlertKind.WARNING, complaint=complaint,
                officer_id=complaint.officer_id, at=now,
                key=f"L{level}:{complaint.reopen_count}:{complaint.due_at.isoformat()}",
                note=f"due {complaint.due_at.isoformat()}")
    return True


def warn_due_soon(*, database: Database | None = None, now: datetime | None = None,
                  batch: int = 100, budget: float | None = BUDGET) -> int:
    """The 75 % warnings due by `now`."""
    now = now or utcnow()
    query = (select(Complaint.id).where(Complaint.status.in_(list(RUNNING)), Complaint.warn_at <= now)
             .order_by(Complaint.warn_at))
    return _each(database, query, warn_one, now, batch, "75% warnings", budget)


def end_one_pause(*, session: Session, complaint: Complaint, now: datetime) -> bool:
    """Restart the clock of a pause that reached its cap (as of the cap, not of the late sweep)."""
    if complaint.status is not ComplaintStatus.PAUSED or complaint.pause_ends_at is None \
            or complaint.pause_ends_at > now:
        return False
    resume(session=session, complaint=complaint, at=complaint.pause_ends_at)
    return True


def end_pauses(*, database: Database | None = None, now: datetime | None = None,
               batch: int = 100, budget: float | None = BUDGET) -> int:
    """Pauses that reached their cap by `now` end by themselves."""
    now = now or utcnow()
    query = (select(Complaint.id).where(Complaint.status == ComplaintStatus.PAUSED,
                                        Complaint.pause_ends_at <= now)
             .order_by(Complaint.pause_ends_at))
    return _each(database, query, end_one_pause, now, batch, "pauses ended", budget)


def beyond_l4(*, session: Session, department_code: str | None = None, limit: int = 500) -> list[Complaint]:
    """Open complaints overdue at L4: they stay with the secretary and are listed here."""
    query = select(Complaint).where(Complaint.status.in_(list(OPEN)), Complaint.level == 4,
                                    Complaint.overdue_flagged_at.is_not(None))
    if department_code:
        query = query.where(Complaint.department_code == department_code)
    return list(session.scalars(query.order_by(Complaint.due_at).limit(limit)))
