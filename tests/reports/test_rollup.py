"""The reports' roll-up (models/reports/rollup.py, its job in models/reports/jobs.py) gives the very
numbers the live count gives over the same ranges — whole months, single days, today live, overdue
asked later and earlier than the job's run — and again after complaints of an old month moved
(resolved, reopened, escalated) or their explanations were asked, submitted and reviewed, and the
job ran again (both databases)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models.complaints.explanations import (ExplanationStatus, request_explanation, review_explanation,
                                            submit_explanation)
from models.complaints.explanations import of_complaint as explanations_of
from models.complaints.status import OPEN
from models.core.db import unit_of_work
from models.reports import dashboard, measures, rollup, tables, timing
from models.reports.jobs import count_periods
from models.reports.measures import live_tally
from models.reports.rollup import PeriodCounts, PeriodDaysToResolve, PeriodOfficers
from models.reports.scope import Scope
from tests.reports import dataset, expected
from tests.reports.dataset import NOW

SCOPES = {  # March 2025 is a whole month (its month row); April is days; to April 20 ends in today, live
    "state": {"date_from": date(2025, 3, 1), "date_to": date(2025, 4, 10)},
    "REV": {"date_from": date(2025, 3, 1), "date_to": date(2025, 4, 20), "department": "REV"},
    "PHE-BST": {"date_from": date(2025, 3, 4), "date_to": date(2025, 4, 12), "department": "PHE", "district": "BST"},
    "one-day": {"date_from": date(2025, 3, 20), "date_to": date(2025, 3, 20)},
    "cm-jandarshan": {"date_from": date(2025, 3, 1), "date_to": date(2025, 4, 30), "channel": "cm_jandarshan"},
}


class _Database:
    """The job's `database` on the test's session (its commits are savepoints, rolled back after)."""

    def __init__(self, session):
        self.session = session

    def unit_of_work(self):
        return unit_of_work(self.session)


def _screens(session, now) -> dict:
    """Every number the dashboards and the ranking show, per scope."""
    shown = {}
    for name, scope in SCOPES.items():
        scope = Scope(**scope)
        summary = dashboard.summary(session=session, scope=scope, now=now,
                                    with_tables=("districts", "channels", "departments"))
        summary.pop("as_of")
        shown[name] = {"summary": summary, "ranking": tables.by_district(session=session, scope=scope, now=now),
                       "officers": tables.by_officer(session=session, scope=scope)}
    return shown


def _live(session, now, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(rollup, "plan", lambda **_: None)
        return _screens(session, now)


@pytest.fixture
def seeded(session):
    dataset.build(session)
    return session


def test_the_rollup_shows_what_the_live_count_shows(seeded, monkeypatch):
    database = _Database(seeded)
    assert count_periods(database=database, now=NOW) >= 46  # whole on its first run: 3 March – 17 April and more
    days = set(seeded.scalars(select(PeriodCounts.start).where(PeriodCounts.period == rollup.DAY)))
    assert {date(2025, 3, 3), date(2025, 4, 17)} <= days and max(days) < date(2025, 4, 20)  # today: live
    assert seeded.scalar(select(func.count()).select_from(PeriodCounts).where(
        PeriodCounts.period == rollup.MONTH, PeriodCounts.start == date(2025, 3, 1))) > 0
    assert seeded.scalar(select(func.count()).select_from(PeriodOfficers)) > 0
    march = Scope(date(2025, 3, 1), date(2025, 3, 31))
    assert rollup.plan(session=seeded, scope=march).months == (date(2025, 3, 1),)
    for now in (NOW, NOW + timedelta(days=9), NOW - timedelta(days=20)):  # overdue moved both ways
        assert _screens(seeded, now) == _live(seeded, now, monkeypatch), now
    state, want = _screens(seeded, NOW)["state"]["summary"], expected.summary(seeded, NOW, **SCOPES["state"])
    for key in ("registered", "open", "open_by_status", "overdue", "resolved", "closures", "satisfaction", "reopened"):
        assert state[key] == want[key], key  # and both are the plain counts
    assert state["registered"] > 0 and sum(state["overdue"].values()) > 0


def test_after_old_complaints_move_the_next_run_counts_them_again(seeded, monkeypatch):
    database = _Database(seeded)
    count_periods(database=database, now=NOW)
    march = [c for c in expected.complaints(seeded, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))]
    open_ones = [c for c in march if c.status.value in OPEN and c.status.value != "paused"]
    resolved = [c for c in march if c.status.value == "resolved"]
    later = NOW + timedelta(hours=2)
    dataset._resolve(seeded, open_ones[0], later)
    from models.complaints.lifecycle import escalate, reopen
    escalate(session=seeded, complaint=open_ones[1], at=later)
    reopen(session=seeded, complaint=resolved[0], actor="test", reason="नागरिक संतुष्ट नहीं", at=later)
    seeded.flush()
    run_at = later + timedelta(minutes=1)
    assert _screens(seeded, run_at) != _live(seeded, run_at, monkeypatch)  # the roll-up lags until the job runs
    assert count_periods(database=database, now=run_at) >= 3  # the three March days at least
    assert _screens(seeded, run_at) == _live(seeded, run_at, monkeypatch)
    assert count_periods(database=database, now=run_at) == 0  # a late run does nothing


def _days_to_resolve(session, scopes) -> dict:
    """Per scope: (the roll-up's histogram of the days to resolve — its months, days and today live
    — the live one, the dashboard's days to resolve, the live count's)."""
    shown = {}
    for name in scopes:
        scope = Scope(**SCOPES[name])
        shown[name] = (timing.stored_histogram(session, scope), timing.live_days(session, scope)[0],
                       dashboard.days_to_resolve(session=session, scope=scope, now=NOW),
                       timing.days_to_resolve(session=session, scope=scope))
    return shown


def test_the_days_to_resolve_are_read_from_the_rollup_as_the_live_count_gives_them(seeded):
    """The 90th percentile from the roll-up's histograms (a whole month, days, today live) for the
    state and a department, equal to the live one; and again after complaints of March are resolved
    and reopened and the job runs (a district's scope is counted live)."""
    database = _Database(seeded)
    count_periods(database=database, now=NOW)
    scopes = ("state", "REV", "one-day")
    for name, (stored, live, shown, counted) in _days_to_resolve(seeded, scopes).items():
        assert stored == live and sum(live.values()) > 0 and shown == counted, name
    assert shown["p90"] == timing.percentile(live, 0.9) / 10 and shown["count"] == sum(live.values())
    assert timing.stored_histogram(seeded, Scope(**SCOPES["PHE-BST"])) is None
    assert seeded.scalar(select(func.count()).select_from(PeriodDaysToResolve).where(
        PeriodDaysToResolve.period == rollup.MONTH, PeriodDaysToResolve.department_code == "REV")) > 0

    march = expected.complaints(seeded, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    open_ones = [c for c in march if c.status.value in OPEN and c.status.value != "paused"]
    resolved = [c for c in march if c.status.value == "resolved"]
    later = NOW + timedelta(hours=2)
    for complaint in open_ones[:3]:
        dataset._resolve(seeded, complaint, later)
    from models.complaints.lifecycle import reopen
    reopen(session=seeded, complaint=resolved[0], actor="test", reason="नागरिक संतुष्ट नहीं", at=later)
    seeded.flush()
    assert any(stored != live for stored, live, _, _ in _days_to_resolve(seeded, scopes).values())  # a run behind
    count_periods(database=database, now=later + timedelta(minutes=1))
    for name, (stored, live, shown, counted) in _days_to_resolve(seeded, scopes).items():
        assert stored == live and shown == counted, name


def test_the_stored_names_are_the_tallys(seeded):
    counted = live_tally(session=seeded, scope=Scope(**SCOPES["state"]), now=NOW)[()]
    assert set(counted) == {*rollup.COUNTS, "days_sum"}


def test_a_count_a_run_behind_the_rows_still_gives_the_percentile(seeded):
    """The roll-up's count of resolved complaints may lead the rows by the moves since its last run;
    the 90th percentile is then taken over the rows as they are."""
    scope = Scope(**SCOPES["state"])
    live = timing.days_to_resolve(session=seeded, scope=scope)
    assert live["p90"] is not None
    assert timing.days_to_resolve(session=seeded, scope=scope, count=live["count"] * 20, total=1.0) == live


def test_the_screens_show_the_same_numbers_once_the_rollup_is_built(reports_app, reports_db, token_for):
    """/reports/data.json (the dashboard's charts and tables: the state's, a secretary's with the
    officers) and the API's district ranking, before the job's first run and after it."""
    from sqlalchemy import delete, update

    from models.core.base import utcnow
    from models.core.db import Database
    from tests.desk.conftest import log_in

    range_ = "from=2025-03-01&to=2025-04-10"
    pages = {"goodgov": f"/reports/data.json?{range_}", "secretary.rev": f"/reports/data.json?department=REV&{range_}"}

    def shown() -> dict:
        numbers = {}
        for user, page in pages.items():
            data = log_in(reports_app.test_client(), user).get(page).get_json()
            data.pop("as_of")
            numbers[user] = data
        numbers["ranking"] = reports_app.test_client().get(f"/api/v1/reports/districts?{range_}",
                                                           headers=token_for(None)).get_json()
        return numbers

    before = shown()
    assert before["secretary.rev"]["officers"] and before["goodgov"]["departments"] and before["ranking"]["districts"]
    database = Database(reports_db)
    try:
        assert count_periods(database=database, now=utcnow()) > 0
        with database.session() as session:
            assert rollup.plan(session=session, scope=Scope(**SCOPES["state"])) is not None
        assert shown() == before
    finally:  # the other tests of this database count live again
        with database.unit_of_work() as uow:
            for table in (PeriodCounts, PeriodOfficers, PeriodDaysToResolve):
                uow.session.execute(delete(table))
            uow.session.execute(update(rollup.RollupRun).values(built_at=None, events_after=0))
            uow.commit()
        database.dispose()


def _explanations(session, now) -> dict:
    """Per scope: the explanations' counts and the officers' table's (deadlines missed, explanations
    pending and rejected) as the screens show them."""
    shown = {}
    for name, scope in SCOPES.items():
        scope = Scope(**scope)
        officers = tables.by_officer(session=session, scope=scope)
        shown[name] = (measures.explanations(session=session, scope=scope, now=now),
                       {row["officer_id"]: [row[c] for c in ("missed_deadlines", "explanations_pending",
                                                             "explanations_rejected")] for row in officers})
    return shown


def _live_explanations(session, now, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(rollup, "plan", lambda **_: None)
        return _explanations(session, now)


def test_the_explanations_are_read_from_the_rollup_as_the_live_count_gives_them(seeded, monkeypatch):
    """The explanations' counts of the dashboards (a whole month, days, today live, overdue moved both
    ways) and the officers' table's equal the live ones; and again after an explanation is asked about
    today's complaint and about March's, and others are submitted, accepted and rejected, once the job
    has run again (explanations write no history: the job finds them by their times)."""
    database = _Database(seeded)
    count_periods(database=database, now=NOW)
    assert seeded.scalar(select(func.sum(PeriodCounts.explanations_requested))) > 0
    assert seeded.scalar(select(func.sum(PeriodOfficers.missed_deadlines))) > 0
    for now in (NOW, NOW + timedelta(days=9), NOW - timedelta(days=20)):
        assert _explanations(seeded, now) == _live_explanations(seeded, now, monkeypatch), now
    state = Scope(**SCOPES["state"])
    overdue = {now: measures.explanations(session=seeded, scope=state, now=now)["overdue"]
               for now in (NOW - timedelta(days=40), NOW)}
    assert overdue[NOW] > overdue[NOW - timedelta(days=40)]  # overdue moved over explanations fallen due
    assert all(v == expected.summary(seeded, NOW, **SCOPES[name])["explanations"]
               for name, (v, _) in _explanations(seeded, NOW).items())

    before = _explanations(seeded, NOW)["REV"][0]["requested"]
    today = dataset._make(seeded, "RPR", "RPR-ABH", 100, "portal", NOW - timedelta(hours=1))
    request_explanation(session=seeded, complaint=today, officer_id=today.officer_id, level=today.level,
                        missed_due_at=today.due_at, at=NOW - timedelta(minutes=30), days=3)
    assert today.department_code == "REV" and _explanations(seeded, NOW)["REV"][0]["requested"] == before + 1
    assert _explanations(seeded, NOW) == _live_explanations(seeded, NOW, monkeypatch)  # today's, live

    march = expected.complaints(seeded, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    asked = [e for c in march for e in explanations_of(session=seeded, complaint=c)]
    requested = [e for e in asked if e.status == ExplanationStatus.REQUESTED]
    submitted = [e for e in asked if e.status == ExplanationStatus.SUBMITTED]
    assert len(requested) >= 1 and len(submitted) >= 2
    later = NOW + timedelta(hours=2)
    submit_explanation(session=seeded, explanation=requested[0], text="पटवारी प्रशिक्षण में थे")
    review_explanation(session=seeded, explanation=submitted[0], accepted=True, reviewer="test")
    review_explanation(session=seeded, explanation=submitted[1], accepted=False, reviewer="test")
    unasked = next(c for c in march if c.status.value in OPEN and not explanations_of(session=seeded, complaint=c))
    request_explanation(session=seeded, complaint=unasked, officer_id=unasked.officer_id, level=unasked.level,
                        missed_due_at=unasked.due_at, at=later, days=3)
    seeded.flush()
    run_at = later + timedelta(minutes=1)
    assert _explanations(seeded, run_at) != _live_explanations(seeded, run_at, monkeypatch)  # a run behind
    assert count_periods(database=database, now=run_at) >= 1
    for now in (run_at, run_at + timedelta(days=9)):
        assert _explanations(seeded, now) == _live_explanations(seeded, now, monkeypatch), now
