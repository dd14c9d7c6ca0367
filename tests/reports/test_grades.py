"""Monthly grades: the figures behind them equal plain counts over the history, the formula follows
config/grades.toml, and recomputing a past month gives the same grades after complaints moved on."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.lifecycle import reopen
from models.complaints.status import ComplaintStatus
from models.core.settings import ROOT
from models.reports import grades
from models.reports.grading import Grading, load_grading
from tests.reports import dataset, expected

GRADING = load_grading(ROOT / "config" / "grades.toml")
MARCH, MAY = date(2025, 3, 1), date(2025, 5, 1)


@pytest.fixture
def seeded(session):
    made = dataset.build(session)
    # In May some old open complaints are resolved, one resolved complaint is reopened.
    open_ = [c for c in made if c.status in (ComplaintStatus.ASSIGNED, ComplaintStatus.IN_PROGRESS,
                                            ComplaintStatus.ESCALATED)]
    for n, c in enumerate(open_[::2]):
        dataset._resolve(session, c, datetime(2025, 5, 6, 6, tzinfo=timezone.utc) + timedelta(hours=n))
    resolved = [c for c in made if c.status is ComplaintStatus.RESOLVED]
    reopen(session=session, complaint=resolved[0], actor="test", reason="फिर से शिकायत",
           at=datetime(2025, 5, 20, 6, tzinfo=timezone.utc))
    session.flush()
    return session


def _plain(session, kind: str, month: date) -> dict[str, dict]:
    """The month's counts by loops over complaints and their history."""
    start, end = expected.month_start(month), expected.month_start(expected.next_month(month))
    key = {"district": "district_code", "department": "department_code"}[kind]
    events: dict[int, list] = {}
    for event in session.scalars(select(ComplaintEvent).order_by(ComplaintEvent.at, ComplaintEvent.id)):
        events.setdefault(event.complaint_id, []).append(event)
    out: dict[str, dict] = {}
    for c in session.scalars(select(Complaint)):
        if c.registered_at is None:
            continue
        row = out.setdefault(getattr(c, key), dict.fromkeys(
            ("registered", "resolved", "satisfied", "no_response", "reopenings", "disposals",
             "old_open_at_start", "old_resolved", "not_attended"), 0))
        mine = events.get(c.id, [])
        during = [e for e in mine if start <= e.at < end]
        registered_now = start <= c.registered_at < end
        row["registered"] += registered_now
        row["resolved"] += any(e.action == "resolve" for e in during)
        row["reopenings"] += sum(e.action == "reopen" for e in during)
        row["disposals"] += sum(e.action in grades.DISPOSALS for e in during)
        if c.status is ComplaintStatus.CLOSED and c.closed_at and start <= c.closed_at < end:
            row["satisfied"] += c.closure_reason == "satisfied"
            row["no_response"] += c.closure_reason == "no_response"
        before = [e for e in mine if e.at < start]
        if c.registered_at < start - timedelta(days=GRADING.old_days) and before \
                and before[-1].to_status in expected.OPEN:
            row["old_open_at_start"] += 1
            row["old_resolved"] += any(e.action in grades.DISPOSALS for e in during)
        if registered_now and not any(e.action in grades.ATTENDED and e.at < end for e in mine):
            row["not_attended"] += 1
    return {code: row for code, row in out.items() if any(row.values())}


@pytest.mark.parametrize("kind", ["district", "department"])
@pytest.mark.parametrize("month", [MARCH, MAY], ids=["march", "may"])
def test_month_figures_equal_plain_counts(seeded, kind, month):
    got = grades.month_figures(session=seeded, kind=kind, month=month, grading=GRADING)
    want = _plain(seeded, kind, month)
    for code, row in want.items():
        if not any(row[k] for k in ("registered", "resolved", "satisfied", "no_response", "reopenings",
                                     "disposals", "old_open_at_start")):
            continue
        assert {k: got[code][k] for k in row} == row, code
    assert sum(r["old_open_at_start"] for r in want.values()) > 0 if month == MAY else True
    assert sum(r["registered"] for r in want.values()) > 0 if month == MARCH else True


def test_recomputing_a_past_month_gives_the_same_grades(seeded):
    first = {(g.kind, g.code): (g.score, g.grade, g.figures)
             for g in grades.compute_month(session=seeded, month=MAY, grading=GRADING)}
    march = {(g.kind, g.code): (g.score, g.grade, g.figures)
             for g in grades.compute_month(session=seeded, month=MARCH, grading=GRADING)}
    assert first and march and any(grade for _, grade, _ in march.values())
    # The complaints move on in June: resolved, closed as satisfied, reopened.
    june = datetime(2025, 6, 10, 6, tzinfo=timezone.utc)
    for n, c in enumerate(seeded.scalars(select(Complaint).where(Complaint.status.in_(
            [ComplaintStatus.ASSIGNED, ComplaintStatus.ESCALATED, ComplaintStatus.REOPENED])))):
        dataset._resolve(seeded, c, june + timedelta(hours=n))
        if n % 2:
            dataset._close(seeded, c, june + timedelta(days=2, hours=n), "satisfied")
    seeded.flush()
    again = {(g.kind, g.code): (g.score, g.grade, g.figures)
             for g in grades.compute_month(session=seeded, month=MAY, grading=GRADING)}
    assert again == first
    assert {(g.kind, g.code): (g.score, g.grade, g.figures)
            for g in grades.compute_month(session=seeded, month=MARCH, grading=GRADING)} == march
    assert {(g.month, g.kind, g.code) for g in grades.stored(session=seeded, months=60) if g.month in (MAY, MARCH)} \
        == {(m, k, c) for m, keys in ((MAY, first), (MARCH, march)) for k, c in keys}


def test_the_formula_weights_and_thresholds():
    grading = Grading(weights={"satisfied": 60, "old_resolved": 20, "low_quality": 10, "not_attended": 10},
                      thresholds={"A": 80, "B": 60, "C": 40})
    assert grading.score({"satisfied": 1.0, "old_resolved": 0.5, "low_quality": 1.0, "not_attended": 0.0}) == 80.0
    assert grading.grade(80.0) == "A" and grading.grade(79.9) == "B" and grading.grade(39.9) == "D"
    # A component with nothing to judge leaves the others its weight.
    assert grading.score({"satisfied": None, "old_resolved": 0.5, "low_quality": 1.0, "not_attended": None}) == 66.7
    assert grading.score(dict.fromkeys(grading.weights)) is None and grading.grade(None) is None


def test_a_broken_configuration_is_refused_by_name(tmp_path):
    path = tmp_path / "grades.toml"
    path.write_text("[weights]\nsatisfied = 0\n[thresholds]\nA = 80\nB = 60\nC = 40\n")
    with pytest.raises(ValueError, match="weights"):
        load_grading(path)
    path.write_text("[weights]\nsatisfied = 1\n[thresholds]\nA = 50\nB = 60\nC = 40\n")
    with pytest.raises(ValueError, match="thresholds"):
        load_grading(path)
