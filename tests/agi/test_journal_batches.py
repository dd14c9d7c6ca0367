"""The call journal's batches (ivr/flows/journal.py on models/calls/journal.py) on SQLite and
PostgreSQL: many calls' starts, steps, keyed numbers and ends in a few Core statements, as the
ORM wrote them before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ivr.flows import queries
from ivr.flows.journal import _apply, _Op
from models.calls import service as calls

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def op(uniqueid: str, what: str, *args, second: int = 0) -> _Op:
    return _Op(uniqueid, what, args, at=T0 + timedelta(seconds=second))


def journey(session, uniqueid: str) -> dict:
    session.expire_all()
    return calls.journey(calls.get_by_uniqueid(session=session, uniqueid=uniqueid))


def test_many_calls_in_one_batch_keep_their_order_and_times(session):
    ids = _apply(session, ids={}, ops=[
        op("17.1", "start", "9826000001", "PJSIP/trunk-1", "hi"),
        op("17.2", "start", "", "PJSIP/trunk-2", "hi"),
        op("17.1", "step", "prompt", "welcome", None, second=1),
        op("17.2", "step", "event", "caller_withheld", "", second=1),
        op("17.1", "step", "input", "welcome", "1", second=2),
        op("17.2", "caller", "9826000002", second=3),
        op("17.1", "finish", "queued", second=4),
    ])
    assert set(ids) == {"17.1", "17.2"}
    first = journey(session, "17.1")
    assert [(s["kind"], s["name"], s["value"]) for s in first["steps"]] == [
        ("prompt", "welcome", None), ("input", "welcome", "1")]
    # Each step is timed when it happened, not when the batch was stored.
    assert [s["at"][:19] for s in first["steps"]] == ["2026-11-29T08:00:01", "2026-11-29T08:00:02"]
    assert first["disposition"] == "queued" and first["ended_at"].startswith("2026-11-29T08:00:04")
    second = journey(session, "17.2")
    assert second["caller"] == "9826000002" and second["ended_at"] is None
    # A later batch needs no look-up of a known call, and a second end keeps the first one's time.
    _apply(session, ids=ids, ops=[op("17.2", "step", "event", "hangup", None, second=5),
                                  op("17.2", "finish", "hangup", second=5),
                                  op("17.1", "finish", None, second=9)])
    assert journey(session, "17.2")["disposition"] == "hangup"
    again = journey(session, "17.1")
    assert again["disposition"] == "queued" and again["ended_at"].startswith("2026-11-29T08:00:04")


def test_a_call_its_draft_opened_first_gets_one_record(session):
    public_id = queries.create_draft(session, uniqueid="17.3", mobile="9826000003", channel="PJSIP/trunk-3",
                                     district_code="RPR", recording_path="/tmp/17.3.wav", language="hi")
    _apply(session, ids={}, ops=[op("17.3", "start", "9826000003", "PJSIP/trunk-3", "hi"),
                                 op("17.3", "step", "event", "draft", public_id),
                                 op("17.3", "finish", "hangup")])
    record = journey(session, "17.3")
    assert record["complaint_id"] == public_id and record["disposition"] == "hangup"
    assert record["steps"] == [{"at": record["steps"][0]["at"], "kind": "event", "name": "draft",
                                "value": public_id}]
    assert len(calls.calls_of_caller(session=session, caller_number="9826000003")) == 1


def test_what_the_network_sent_is_cut_to_the_columns(session):
    _apply(session, ids={}, ops=[op("17.4", "start", "9" * 100, "PJSIP/" + "x" * 500, "hi"),
                                 op("17.4", "step", "input", "n" * 300, "v" * 2000)])
    record = journey(session, "17.4")
    assert record["caller"] == "9" * 32
    assert record["steps"][0]["name"] == "n" * 80 and record["steps"][0]["value"] == "v" * 2000


def test_an_unknown_step_kind_fails_the_batch_by_name(session):
    with pytest.raises(ValueError, match="'shout'"):
        _apply(session, ids={}, ops=[op("17.5", "start", "9826000005", None, "hi"),
                                     op("17.5", "step", "shout", "welcome", None)])


def test_a_draft_links_the_call_the_journal_stored(session):
    _apply(session, ids={}, ops=[op("17.6", "start", "9826000006", "PJSIP/trunk-6", "hi")])
    public_id = queries.create_draft(session, uniqueid="17.6", mobile="9826000006", channel="PJSIP/trunk-6",
                                     district_code="RPR", recording_path="/tmp/17.6.wav", language="en")
    record = journey(session, "17.6")
    assert record["complaint_id"] == public_id and record["language"] == "en"
    assert record["recording"] == "/tmp/17.6.wav" and record["caller"] == "9826000006"
    assert len(calls.calls_of_caller(session=session, caller_number="9826000006")) == 1
