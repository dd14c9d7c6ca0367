"""The SLA sweep, as of a moment `now`: overdue complaints climb a level and the officer who missed
asks to explain; at 75 % of the time allowed the officer is warned; an approved pause ends at its cap.

Past due at L4 a complaint stays with the secretary and joins the beyond-L4 list with an alert; at
L3 it climbs to L4 by itself unless HELPLINE_L3_TO_L4=manual, when the L3 officer must refer it.
The overdue sweep claims a batch (1,000) of due complaints at a time, only the columns it needs,
in one transaction; on PostgreSQL the claim skips rows another worker holds (FOR UPDATE SKIP
LOCKED), so several workers take different rows and never move a complaint twice. Each complaint
is planned in Python (`models.complaints.overdue`: the same plan the one-complaint path writes);
a row whose plan fails (no officer above, say) is logged and skipped and not asked for again in
the pass; the batch's plans are then written together, a few statements for the batch. If that
write fails as a whole it is rolled back and the batch handled one complaint at a time, each in a
SAVEPOINT of its own, so a bad row undoes only itself (the warnings and pauses are handled so,
100 a batch). Batches follow one another until nothing is due or the pass's budget (50 s; the
sweep runs every 60 s) has gone. The officers and the working calendar are looked up once a pass
(`models.complaints.routing.Routes`).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.complaints import overdue
from models.complaints.alerts import AlertKind, raise_alert
from models.complaints.complaint import Complaint
from models.complaints.lifecycle import AlreadyAtTopLevel
from models.complaints.requests import resume
from models.complaints.routing import NoOfficerConfigured, Routes
from models.complaints.service import record
from models.complaints.status import OPEN, RUNNING, ComplaintStatus
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import get_settings

log = logging.getLogger(__name__)
SYSTEM = overdue.SYSTEM
SWEEP = "SLA sweep"
BUDGET = 50.0  # seconds a pass goes on while rows are due (the sweep runs every 60 s)


def _claim(session: Session, ids_query, batch: int, skipped: set[int], *columns):
    """The next `batch` complaints of `ids_query` but `skipped` (bad rows stay due), as `columns`,
    locked for this transaction: on PostgreSQL rows another worker holds are skipped, not waited
    for, so two workers take different rows."""
    if skipped:
        ids_query = ids_query.where(Complaint.id.not_in(skipped))
    query = ids_query.with_only_columns(*columns).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.execute(query)


def _skip(complaint_id: int, exc: Exception, what: str, skipped: set[int]) -> None:
    """One bad row is logged and skipped (not asked for again in the pass); the sweep goes on."""
    skipped.add(complaint_id)
    if isinstance(exc, (NoOfficerConfigured, AlreadyAtTopLevel)):
        log.warning("complaint %s: %s skipped: %s", complaint_id, what, exc)
    else:
        log.error("complaint %s: %s failed", complaint_id, what, exc_info=exc)


def _one_by_one(session: Session, complaints: list[Complaint], handle: Callable[..., bool],
                now: datetime, what: str, skipped: set[int]) -> int:
    """`handle(session=, complaint=, now=)` on each complaint in a SAVEPOINT of its own, so a bad
    row undoes only itself; how many it handled."""
    handled = 0
    for complaint in complaints:
        complaint_id = complaint.id
        try:
            with session.begin_nested():
                if handle(session=session, complaint=complaint, now=now):
                    handled += 1
                    continue
            skipped.add(complaint_id)  # no longer due: not asked for again in this pass
        except Exception as exc:
            _skip(complaint_id, exc, what, skipped)
    return handled


def _batches(database: Database | None, run: Callable[[Session, set[int]], tuple[int, int]],
             batch: int, what: str, budget: float | None) -> int:
    """`run(session, skipped)` -> (claimed, handled) once a transaction, until it claims fewer than
    `batch` or `budget` seconds have gone (None: once); how many it handled in all."""
    database = database or default_database()
    deadline = time.monotonic() + (budget or 0)
    skipped: set[int] = set()
    done = 0
    while True:
        with database.unit_of_work() as uow:
            claimed, handled = run(uow.session, skipped)
            uow.commit()
        done += handled
        if claimed < batch or time.monotonic() >= deadline:
            break
    if done:
        log.info("%s: %d complaints", what, done)
    return done


def _each(database: Database | None, ids_query, handle: Callable[..., bool], now: datetime,
          batch: int, what: str, budget: float | None) -> int:
    """Run `handle(session=, complaint=, now=)` on the rows of `ids_query`: `batch` claimed at a
    time in one transaction, each in a SAVEPOINT of its own."""
    def one_by_one(session: Session, skipped: set[int]) -> tuple[int, int]:
        claimed = list(_claim(session, ids_query, batch, skipped, Complaint).scalars())
        return len(claimed), _one_by_one(session, claimed, handle, now, what, skipped)

    return _batches(database, one_by_one, batch, what, budget)


def _overdue_query(now: datetime):
    return (select(Complaint.id).where(Complaint.status.in_(list(RUNNING)), Complaint.due_at < now,
                                       Complaint.overdue_flagged_at.is_(None))
            .order_by(Complaint.due_at))


def handle_overdue(*, session: Session, complaint: Complaint, now: datetime,
                   routes: Routes | None = None) -> bool:
    """Escalate one overdue complaint (or flag it at L4, or at L3 when referral is manual) and
    ask the officer who missed for an explanation; False if it is no longer overdue. `routes`
    keeps the officers and the working calendar for a pass."""
    if not overdue.is_overdue(complaint, now):
        return False
    asked, alerted = overdue.asked_and_alerted(session, [complaint])
    settings = get_settings()
    overdue.apply(session, complaint, overdue.plan(
        session=session, complaint=complaint, now=now, routes=routes or Routes(),
        manual_l3=settings.l3_to_l4 == "manual", explanation_days=settings.explanation_days,
        asked=asked, alerted=alerted))
    return True


def _sweep_batch(session: Session, skipped: set[int], *, now: datetime, routes: Routes,
                 batch: int) -> tuple[int, int]:
    """Claim `batch` overdue complaints (their few columns), plan each (a bad one is logged and
    skipped), write the plans together; if that write fails as a whole, roll it back and handle
    the batch one complaint at a time. (claimed, handled)."""
    rows = _claim(session, _overdue_query(now), batch, skipped, *overdue.COLUMNS).all()
    asked, alerted = overdue.asked_and_alerted(session, rows)
    settings = get_settings()  # read once a batch: the environment is slow to read 1,000 times
    plans = []
    for row in rows:
        if not overdue.is_overdue(row, now):
            skipped.add(row.id)
            continue
        try:
            plans.append(overdue.plan(session=session, complaint=row, now=now, routes=routes,
                                      manual_l3=settings.l3_to_l4 == "manual",
                                      explanation_days=settings.explanation_days,
                                      asked=asked, alerted=alerted))
        except Exception as exc:
            _skip(row.id, exc, SWEEP, skipped)
    try:
        with session.begin_nested():
            overdue.write(session, plans)
    except Exception:
        log.warning("%s: a batch of %d failed as a whole; one complaint at a time", SWEEP, len(plans),
                    exc_info=True)
        complaints = [session.get(Complaint, p.complaint_id, populate_existing=True) for p in plans]
        handle = functools.partial(handle_overdue, routes=routes)
        return len(rows), _one_by_one(session, complaints, handle, now, SWEEP, skipped)
    return len(rows), len(plans)


def sweep_overdue(*, database: Database | None = None, now: datetime | None = None,
                  batch: int = 1000, budget: float | None = BUDGET) -> int:
    """One pass of the sweep, `batch` complaints a transaction; returns how many it handled."""
    now = now or utcnow()
    run = functools.partial(_sweep_batch, now=now, routes=Routes(), batch=batch)  # officers, calendar: once a pass
    return _batches(database, run, batch, SWEEP, budget)


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
