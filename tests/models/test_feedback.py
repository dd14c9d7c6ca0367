"""Satisfaction calls in the domain, on a controllable clock: when each try is due, the pacing,
and what the citizen's answer (or silence) does to the complaint."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from models.calls import feedback
from models.calls.feedback import CallToPlace, FeedbackPolicy, FeedbackResult
from models.complaints.lifecycle import resolve
from models.notifications.outbox import OutboxMessage
from models.reference.calendar import IST
from tests.factories import make_complaint

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=IST)  # India time, inside calling hours
POLICY = FeedbackPolicy(tries=3, days=3, concurrent=50)


def resolved(session, at: datetime = MONDAY_10):
    complaint = make_complaint(session)
    resolve(session=session, complaint=complaint, actor="user:officer", resolution="नामांतरण दर्ज कर दिया गया")
    complaint.resolved_at = at
    session.flush()
    return complaint


def due_for(session, complaint, now, policy=POLICY) -> CallToPlace | None:
    return next((c for c in feedback.calls_to_place(session=session, now=now, policy=policy, limit=10_000)
                 if c.complaint_id == complaint.id), None)


def try_once(session, complaint, now, result, policy=POLICY):
    call = due_for(session, complaint, now, policy)
    assert call is not None, f"no try due at {now}"
    attempt = feedback.place(session=session, call=call, now=now)
    feedback.record_result(session=session, attempt=attempt, result=result, now=now + timedelta(minutes=1),
                           call_uniqueid=f"u{attempt.id}")
    feedback.close_unanswered(session=session, now=now + timedelta(minutes=2), policy=policy)
    return attempt


def test_calling_hours_are_india_time():
    assert feedback.in_calling_hours(MONDAY_10)
    assert not feedback.in_calling_hours(MONDAY_10.replace(hour=20, minute=0))
    assert not feedback.in_calling_hours(MONDAY_10.replace(hour=8, minute=59))
    assert feedback.into_calling_hours(MONDAY_10.replace(hour=21)) == MONDAY_10.replace(day=8, hour=9)
    assert feedback.into_calling_hours(MONDAY_10.replace(hour=6)) == MONDAY_10.replace(hour=9)


def test_tries_are_spread_over_days_and_never_at_the_same_hour():
    earlier: list[datetime] = []
    for _ in range(5):
        at = feedback.next_try_at(resolved_at=MONDAY_10, earlier=earlier, policy=POLICY)
        assert feedback.in_calling_hours(at)
        assert all(at - e >= POLICY.spacing for e in earlier)
        earlier.append(at)
    hours = [e.astimezone(IST).hour for e in earlier]
    assert len(set(hours)) == len(hours), hours
    assert earlier[0] == MONDAY_10 + feedback.FIRST_DELAY


def test_pressing_one_closes_as_satisfied(session):
    complaint = resolved(session)
    assert due_for(session, complaint, MONDAY_10 + timedelta(minutes=5)) is None  # too soon
    try_once(session, complaint, MONDAY_10 + timedelta(minutes=31), FeedbackResult.SATISFIED)
    assert complaint.status.value == "closed" and complaint.closure_reason == "satisfied"
    assert complaint.history[-1].actor == feedback.ACTOR and "feedback call 1" in complaint.history[-1].note
    assert due_for(session, complaint, MONDAY_10 + timedelta(days=2)) is None


def test_pressing_two_reopens_at_the_resolving_level_and_twice_climbs(session):
    complaint = resolved(session)
    level = complaint.level
    try_once(session, complaint, MONDAY_10 + timedelta(hours=1), FeedbackResult.NOT_SATISFIED)
    assert complaint.status.value == "reopened" and complaint.level == level
    assert complaint.due_at > MONDAY_10 and complaint.reopen_count == 1
    resolve(session=session, complaint=complaint, actor="user:officer", resolution="फिर से जाँच कर दर्ज किया")
    complaint.resolved_at = MONDAY_10 + timedelta(days=1)
    try_once(session, complaint, MONDAY_10 + timedelta(days=1, hours=1), FeedbackResult.NOT_SATISFIED)
    assert complaint.status.value == "escalated" and complaint.level == level + 1
    assert [e.action for e in complaint.history][-2:] == ["reopen", "escalate"]


def test_unanswered_tries_close_as_no_response_after_the_last(session):
    complaint = resolved(session)
    now, placed = MONDAY_10, []
    for n in range(POLICY.tries):
        now = feedback.next_try_at(resolved_at=MONDAY_10, earlier=placed, policy=POLICY)
        assert due_for(session, complaint, now - timedelta(minutes=1)) is None, "not before it is due"
        attempt = try_once(session, complaint, now, [FeedbackResult.NO_ANSWER, FeedbackResult.BUSY,
                                                     FeedbackResult.NO_ANSWER][n])
        placed.append(attempt.placed_at)
        expected = "closed" if n == POLICY.tries - 1 else "resolved"
        assert complaint.status.value == expected
    assert complaint.closure_reason == "no_response"
    assert len({p.astimezone(IST).hour for p in placed}) == POLICY.tries
    asked = session.scalars(select(OutboxMessage).where(OutboxMessage.complaint_id == complaint.id,
                                                         OutboxMessage.kind == "feedback_asked")).all()
    assert len(asked) == 1 and complaint.public_id in asked[0].body  # once, after the first unanswered


def test_a_call_not_placed_is_not_a_try_and_a_lost_one_is(session):
    complaint = resolved(session)
    now = MONDAY_10 + timedelta(hours=1)
    try_once(session, complaint, now, FeedbackResult.NOT_PLACED)
    call = due_for(session, complaint, now + timedelta(minutes=1))
    assert call is not None and call.attempt == 2  # at once again: the citizen was never called
    attempt = feedback.place(session=session, call=call, now=now)
    assert due_for(session, complaint, now + timedelta(hours=3)) is None  # one in flight
    assert feedback.in_flight(session=session, now=now) >= 1
    assert feedback.expire_lost(session=session, now=now + timedelta(minutes=11)) >= 1
    assert attempt.result is FeedbackResult.LOST


def test_pacing_offers_no_more_than_the_free_places(session):
    first, second = resolved(session), resolved(session)
    now = MONDAY_10 + timedelta(hours=1)
    one_at_a_time = FeedbackPolicy(tries=3, days=3, concurrent=1)
    offered = feedback.calls_to_place(session=session, now=now, policy=one_at_a_time, limit=10_000)
    assert len(offered) <= 1
    call = due_for(session, first, now) or due_for(session, second, now)
    feedback.place(session=session, call=call, now=now)
    assert feedback.calls_to_place(session=session, now=now, policy=one_at_a_time) == []
    assert feedback.calls_to_place(session=session, now=MONDAY_10.replace(hour=21), policy=POLICY) == []


def test_a_second_report_of_the_same_try_changes_nothing(session):
    complaint = resolved(session)
    attempt = try_once(session, complaint, MONDAY_10 + timedelta(hours=1), FeedbackResult.SATISFIED)
    feedback.record_result(session=session, attempt=attempt, result=FeedbackResult.NOT_SATISFIED)
    assert attempt.result is FeedbackResult.SATISFIED and complaint.status.value == "closed"


@pytest.mark.parametrize("bad", ["maybe", ""])
def test_an_unknown_result_is_refused(session, bad):
    complaint = resolved(session)
    call = due_for(session, complaint, MONDAY_10 + timedelta(hours=1))
    attempt = feedback.place(session=session, call=call, now=MONDAY_10 + timedelta(hours=1))
    with pytest.raises(ValueError):
        feedback.record_result(session=session, attempt=attempt, result=bad)
