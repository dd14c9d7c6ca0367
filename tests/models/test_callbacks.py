"""The call-back list: one entry per draft, worked in the supervisors' order as agents come free,
tried again when unanswered and given up after the last try."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models.calls import callbacks
from models.calls.callbacks import CallbackNotWaiting, CallbackStatus
from models.complaints.service import create_draft
from models.reference.calendar import IST
from tests.factories import next_mobile

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def listed(session, now=MONDAY_10):
    draft = create_draft(session=session, mobile=next_mobile(), district_code="RPR")
    return callbacks.request(session=session, complaint=draft, now=now)


def ours(session, *entries, now=MONDAY_10, free=50):
    ids = {e.id for e in entries}
    return [c.callback_id for c in callbacks.next_to_place(session=session, now=now, free_agents=free)
            if c.callback_id in ids]


def test_asking_twice_keeps_one_place_and_marks_the_draft(session):
    first = listed(session)
    again = callbacks.request(session=session, complaint=first.complaint, now=MONDAY_10)
    assert again.id == first.id and first.complaint.callback_requested
    assert first.complaint.history[-1].action == "callback_requested"


def test_free_agents_take_the_list_in_order_and_supervisors_reorder_it(session):
    a, b, c = listed(session), listed(session), listed(session)
    assert ours(session, a, b, c) == [a.id, b.id, c.id]
    callbacks.move(session=session, callback_id=c.id, up=True, actor="user:supervisor")
    assert ours(session, a, b, c) == [a.id, c.id, b.id]
    callbacks.cancel(session=session, callback_id=a.id, actor="user:supervisor")
    assert ours(session, a, b, c) == [c.id, b.id] and a.status is CallbackStatus.CANCELLED
    with pytest.raises(CallbackNotWaiting):
        callbacks.cancel(session=session, callback_id=a.id, actor="user:supervisor")
    assert ours(session, a, b, c, now=MONDAY_10.replace(hour=21)) == []  # outside calling hours
    assert callbacks.any_due(session=session, now=MONDAY_10)
    assert not callbacks.any_due(session=session, now=MONDAY_10.replace(hour=21))
    assert callbacks.next_to_place(session=session, now=MONDAY_10, free_agents=0) == []


def test_unanswered_goes_back_for_later_and_is_given_up_after_the_last_try(session):
    entry = listed(session)
    now = MONDAY_10
    for n in range(1, 4):
        assert ours(session, entry, now=now) == [entry.id], f"try {n} due at {now}"
        callbacks.dialled(session=session, callback_id=entry.id, now=now)
        assert ours(session, entry, now=now) == []  # dialling: not offered twice
        callbacks.record_result(session=session, callback_id=entry.id, answered=False, detail="busy", now=now)
        assert entry.status is CallbackStatus.WAITING and entry.next_try_at > now
        now = entry.next_try_at
    assert callbacks.give_up(session=session, tries=3) >= 1 and entry.status is CallbackStatus.GAVE_UP


def test_answered_is_connected_and_a_late_report_changes_nothing(session):
    entry = listed(session)
    callbacks.dialled(session=session, callback_id=entry.id, now=MONDAY_10)
    callbacks.record_result(session=session, callback_id=entry.id, answered=True, call_uniqueid="u1")
    callbacks.record_result(session=session, callback_id=entry.id, answered=False)
    assert entry.status is CallbackStatus.CONNECTED and entry.call_uniqueid == "u1"


def test_a_call_back_asterisk_never_reported_on_is_tried_again(session):
    entry = listed(session)
    callbacks.dialled(session=session, callback_id=entry.id, now=MONDAY_10)
    assert callbacks.expire_lost(session=session, now=MONDAY_10 + timedelta(minutes=11)) >= 1
    assert entry.status is CallbackStatus.WAITING and entry.last_result == "lost"
