"""The status machine: legal moves write exactly one history row; illegal ones change nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.complaints.complaint import Complaint, ComplaintEvent, HistoryIsAppendOnly
from models.complaints.service import transition
from models.complaints.status import (
    FINAL,
    TRANSITIONS,
    Action,
    ComplaintStatus,
    IllegalTransition,
    allowed_actions,
    next_status,
)
from tests.conftest import rolled_back_session
from tests.factories import make_complaint


def history_count(session, complaint) -> int:
    return session.scalar(select(func.count()).select_from(ComplaintEvent)
                          .where(ComplaintEvent.complaint_id == complaint.id))


def test_table_is_consistent():
    reachable = {ComplaintStatus.DRAFT}
    frontier = [ComplaintStatus.DRAFT]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            target = next_status(status, action)
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(ComplaintStatus), "every status is reachable from a draft"
    for final in FINAL:
        assert allowed_actions(final) == [], f"{final} is final"


def test_illegal_transition_names_the_move():
    with pytest.raises(IllegalTransition, match="cannot close a complaint that is assigned"):
        next_status(ComplaintStatus.ASSIGNED, Action.CLOSE)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(list(Action)), min_size=1, max_size=12))
def test_no_sequence_reaches_an_illegal_state_or_skips_history(engine, actions):
    with rolled_back_session(engine) as session:
        complaint = make_complaint(session)
        expected_rows = history_count(session, complaint)
        assert expected_rows == 2  # registered, then assigned
        for action in actions:
            before = complaint.status
            legal = (before, action) in TRANSITIONS
            if legal:
                transition(session=session, complaint=complaint, action=action, actor="test",
                           channel="test")
                expected_rows += 1
                assert complaint.status == TRANSITIONS[(before, action)]
            else:
                with pytest.raises(IllegalTransition):
                    transition(session=session, complaint=complaint, action=action,
                               actor="test", channel="test", note="must not be written")
                session.expire_all()
                reloaded = session.get(Complaint, complaint.id)
                assert reloaded.status == before, "an illegal move left the status unchanged"
                complaint = reloaded
            assert history_count(session, complaint) == expected_rows
            last = session.scalars(select(ComplaintEvent).where(
                ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.id.desc())).first()
            assert last.to_status == complaint.status.value


def test_each_state_has_its_timestamp(session):
    complaint = make_complaint(session)
    assert complaint.registered_at and complaint.assigned_at and complaint.resolved_at is None
    transition(session=session, complaint=complaint, action=Action.RESOLVE, actor="t", channel="t")
    assert complaint.resolved_at is not None
    transition(session=session, complaint=complaint, action=Action.CLOSE, actor="t", channel="t")
    assert complaint.closed_at >= complaint.resolved_at


def test_history_is_append_only(session):
    complaint = make_complaint(session)
    event = complaint.history[0]
    event.note = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()
    session.rollback()
