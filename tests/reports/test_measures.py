"""Every number of a report equals a count made independently by loops over the rows (both databases)."""

from __future__ import annotations

from datetime import date

import pytest

from models.reports import dashboard, tables
from models.reports.drill import complaints_behind
from models.reports.scope import Scope
from tests.reports import dataset, expected

RANGE = dict(date_from=date(2025, 3, 1), date_to=date(2025, 4, 10))


@pytest.fixture
def seeded(session):
    dataset.build(session)
    return session


@pytest.mark.parametrize("scope", [
    dict(RANGE), dict(RANGE, department="REV"), dict(RANGE, department="PHE", district="BST"),
    dict(date_from=date(2025, 3, 10), date_to=date(2025, 3, 24), department="REV"),
    dict(RANGE, channel="cm_jandarshan"),
], ids=["state", "REV", "PHE-BST", "REV-fortnight", "cm-jandarshan"])
def test_every_measure_equals_a_plain_count(seeded, scope):
    got = dashboard.summary(session=seeded, scope=Scope(**scope), now=dataset.NOW)
    want = expected.summary(seeded, dataset.NOW, **scope)
    assert got["registered"] == want["registered"] > 0
    for key in ("open", "open_by_status", "overdue", "resolved", "closures", "satisfaction", "reopened",
                "explanations"):
        assert got[key] == want[key], key
    days, want_days = got["days_to_resolve"], want["days_to_resolve"]
    assert days["count"] == want_days["count"]
    for key in ("average", "p90"):
        assert days[key] == pytest.approx(want_days[key], abs=0.051) if want_days[key] is not None else days[key] is None
    returns = {k: got["transfers"][k] for k in ("returned_to_nodal", "sent_back")}
    assert returns == want["returns"]
    if scope.get("department"):
        assert (got["transfers"]["transferred_out"], got["transfers"]["transferred_in"]) == \
            expected.transfers(seeded, scope["department"], **{k: v for k, v in scope.items() if k != "department"})


def test_the_data_set_has_every_kind_of_number(seeded):
    """The known answers are not zeros: each bucket the dashboard shows has complaints in it."""
    want = expected.summary(seeded, dataset.NOW, **RANGE)
    assert all(want["resolved"][level] for level in ("L1", "L2", "L3", "L4"))
    assert all(want["closures"][kind] for kind in ("satisfied", "no_response", "special", "force", "unrecorded"))
    assert want["overdue"]["L1"] and want["satisfaction"]["reopenings"]
    assert all(want["explanations"][k] for k in ("requested", "pending", "overdue", "accepted", "rejected"))
    assert want["returns"]["returned_to_nodal"] and want["returns"]["sent_back"]


@pytest.mark.parametrize("key,table", [("district_code", tables.by_district), ("department_code", tables.by_department),
                                       ("channel", tables.by_channel)])
def test_tables_equal_plain_counts_and_are_ranked(seeded, key, table):
    got = table(session=seeded, scope=Scope(**RANGE), now=dataset.NOW)
    want = {getattr(code, "value", code): row for code, row in expected.by_key(seeded, dataset.NOW, key, **RANGE).items()}
    assert {row["code"] for row in got} == set(want)
    for row in got:
        for column in tables.COLUMNS:
            assert row[column] == want[row["code"]][column], (row["code"], column)
    shares = [row["resolved_share"] for row in got]
    assert shares == sorted(shares, reverse=True) and [row["rank"] for row in got] == list(range(1, len(got) + 1))


def test_officer_table_equals_plain_counts(seeded):
    from sqlalchemy import select

    from models.complaints.complaint import ComplaintEvent
    from models.complaints.explanations import Explanation

    scope = dict(RANGE, department="REV")
    rows = {row["officer_id"]: row for row in tables.by_officer(session=seeded, scope=Scope(**scope))}
    mine = expected.complaints(seeded, **scope)
    ids = {c.id for c in mine}
    assigned: dict[int, set] = {}
    for event in seeded.scalars(select(ComplaintEvent)):
        if event.complaint_id in ids and event.action in ("assign", "escalate", "reopen") and event.officer_id:
            assigned.setdefault(event.officer_id, set()).add(event.complaint_id)
    assert {o: r["assigned"] for o, r in rows.items() if r["assigned"]} == {o: len(s) for o, s in assigned.items()}
    for officer, row in rows.items():
        held = [c for c in mine if c.officer_id == officer]
        assert row["holding"] == sum(c.status.value in expected.OPEN for c in held)
        assert row["resolved_in_time"] == sum(expected.resolved(c) and c.resolved_at <= c.due_at for c in held)
        assert row["resolved_late"] == sum(expected.resolved(c) and c.resolved_at > c.due_at for c in held)
        missed = [e for e in seeded.scalars(select(Explanation)) if e.complaint_id in ids and e.officer_id == officer]
        assert row["missed_deadlines"] == len(missed)
        assert row["explanations_rejected"] == sum(e.status.value == "rejected" for e in missed)
    assert sum(row["missed_deadlines"] for row in rows.values()) > 0
    away: dict[int, int] = {}
    history: dict[int, list] = {}
    for event in seeded.scalars(select(ComplaintEvent).order_by(ComplaintEvent.id)):
        if event.complaint_id in ids:
            history.setdefault(event.complaint_id, []).append(event)
    for events in history.values():
        for before, event in zip(events, events[1:]):
            if event.action == "escalate" and before.officer_id is not None:
                away[before.officer_id] = away.get(before.officer_id, 0) + 1
    assert {o: r["escalated_away"] for o, r in rows.items() if r["escalated_away"]} == away and away


@pytest.mark.parametrize("measure,key", [("resolved", "L2"), ("overdue", "L1"), ("closure", "satisfied"),
                                         ("open_status", "paused"), ("registered", "all"), ("reopened", "all")])
def test_the_list_behind_a_number_is_what_it_counts(seeded, measure, key):
    scope = Scope(**RANGE, department="REV")
    summary = dashboard.summary(session=seeded, scope=scope, now=dataset.NOW)
    number = {"resolved": lambda: summary["resolved"][key], "overdue": lambda: summary["overdue"][key],
              "closure": lambda: summary["closures"][key], "open_status": lambda: summary["open_by_status"][key],
              "registered": lambda: summary["registered"],
              "reopened": lambda: summary["reopened"]["reopened"]}[measure]()
    rows, total = complaints_behind(session=seeded, scope=scope, measure=measure, key=key, now=dataset.NOW)
    assert total == number == len(rows)
    assert all(set(row) == {f.key for f in __import__("models.reports.drill", fromlist=["FIELDS"]).FIELDS} for row in rows)
