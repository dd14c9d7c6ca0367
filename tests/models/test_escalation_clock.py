"""The clock, controlled: a complaint left alone climbs L1 -> L4 on working days, warned at 75 %
before each deadline, one explanation per missed deadline, then lands on the beyond-L4 list; a
paused complaint does not climb; L3 -> L4 by hand when the setting says so; reopened, it asks again."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from models.complaints.actions import perform
from models.complaints.alerts import Alert, AlertKind
from models.complaints.complaint import Complaint
from models.complaints.explanations import Explanation, is_overdue, officer_record, overdue_to_review
from models.complaints.sla import beyond_l4, end_pauses, sweep_overdue, warn_due_soon
from models.complaints.status import ComplaintStatus
from models.core.db import unit_of_work
from models.core.settings import get_settings
from tests.officer_actors import complaint_at, helpline, ist, user_actor

MINUTE = timedelta(minutes=1)


def _state(complaint_id):
    with unit_of_work() as uow:
        c = uow.session.get(Complaint, complaint_id)
        alerts = list(uow.session.scalars(select(Alert).where(Alert.complaint_id == complaint_id)
                                          .order_by(Alert.id)))
        explanations = list(uow.session.scalars(select(Explanation).where(
            Explanation.complaint_id == complaint_id).order_by(Explanation.id)))
        return (c.level, c.status, c.due_at, [(a.kind, a.level) for a in alerts],
                [(e.level, e.round, e.officer_id) for e in explanations], c.officer_id)


def test_left_alone_it_climbs_l1_to_l4_on_working_days_then_goes_beyond_l4(engine):
    # REV-MUT allows 7, 5, 5 and 3 working days. Monday 23 Feb 2026; weekends off; Holi 4 March.
    with unit_of_work() as uow:
        complaint = complaint_at(uow.session, ist("2026-02-23 10:00"))
        uow.commit()
        cid = complaint.id
    expected_due = ["2026-03-05 18:00", "2026-03-12 18:00", "2026-03-19 18:00", "2026-03-24 18:00"]
    holders = []
    for n, due_text in enumerate(expected_due, start=1):
        level, status, due, alerts, explanations, officer = _state(cid)
        assert (level, due) == (n, ist(due_text)), f"L{n} falls due {due_text} India time"
        holders.append(officer)
        with unit_of_work() as uow:
            c = uow.session.get(Complaint, cid)
            warn_at = c.warn_at
        assert warn_at is not None
        warn_due_soon(now=warn_at - MINUTE)
        assert [a for a in _state(cid)[3] if a == (AlertKind.WARNING, n)] == []
        warn_due_soon(now=warn_at)
        warn_due_soon(now=warn_at + MINUTE)  # once only
        assert [a for a in _state(cid)[3] if a == (AlertKind.WARNING, n)] == [(AlertKind.WARNING, n)]
        sweep_overdue(now=due - MINUTE)
        assert _state(cid)[0] == n, "not before the deadline"
        sweep_overdue(now=due + MINUTE)
        sweep_overdue(now=due + 2 * MINUTE)  # a second run changes nothing more
        assert len(_state(cid)[4]) == n, "one explanation per missed deadline"
    level, status, due, alerts, explanations, officer = _state(cid)
    assert (level, status) == (4, ComplaintStatus.ESCALATED), "overdue at L4 it stays with the secretary"
    assert explanations == [(n, 0, holders[n - 1]) for n in range(1, 5)]
    assert alerts.count((AlertKind.BEYOND_L4, 4)) == 1
    assert [k for k, _ in alerts].count(AlertKind.WARNING) == 4
    with unit_of_work() as uow:
        listed = beyond_l4(session=uow.session, department_code="REV")
        assert cid in [c.id for c in listed]
        secretary = user_actor(uow.session, "secretary.rev")
        assert secretary.officer_id == holders[3]
        c = uow.session.get(Complaint, cid)
        history = [(e.action, e.level) for e in c.history]
        assert history.count(("escalate", 2)) == 1 and history.count(("escalate", 4)) == 1
        assert ("beyond_l4", 4) in history and history.count(("warning", 1)) == 1
        assert [lvl for action, lvl in history if action == "explanation_requested"] == [2, 3, 4, 4]


def test_a_paused_complaint_does_not_climb_and_the_pause_ends_at_its_cap(engine):
    with unit_of_work() as uow:
        s = uow.session
        complaint = complaint_at(s, ist("2026-06-01 10:00"))  # due Tuesday 10 June, 18:00
        due = complaint.due_at
        request = perform(session=s, complaint=complaint, actor=user_actor(s, "tehsildar.abhanpur"),
                          action="request_pause", data={"reason_code": "awaiting_citizen",
                                                        "note": "आवेदक से खसरा की प्रति माँगी गई"},
                          at=ist("2026-06-02 11:00"))
        perform(session=s, complaint=complaint, actor=user_actor(s, "collector.raipur"), action="decide",
                data={"request_id": str(request.id), "decision": "approve"}, at=ist("2026-06-02 12:00"))
        uow.commit()
        cid = complaint.id
    assert _state(cid)[1] is ComplaintStatus.PAUSED
    sweep_overdue(now=due + timedelta(days=5))
    warn_due_soon(now=due + timedelta(days=5))
    assert _state(cid)[:2] == (1, ComplaintStatus.PAUSED), "paused: it does not climb"
    end_pauses(now=ist("2026-06-17 11:59"))
    assert _state(cid)[1] is ComplaintStatus.PAUSED
    end_pauses(now=ist("2026-06-20 09:00"))  # the cap (15 days) was 17 June 12:00
    _, status, new_due, *_ = _state(cid)
    assert status is ComplaintStatus.IN_PROGRESS and new_due == due + timedelta(days=15)
    sweep_overdue(now=due + timedelta(days=14))
    assert _state(cid)[0] == 1, "the paused days do not count toward the deadline"
    with unit_of_work() as uow:
        history = [e.action for e in uow.session.get(Complaint, cid).history]
        assert history[-2:] == ["pause", "resume"]


def test_l3_to_l4_by_hand_when_the_setting_says_manual(engine, monkeypatch):
    monkeypatch.setenv("HELPLINE_L3_TO_L4", "manual")
    assert get_settings().l3_to_l4 == "manual"
    with unit_of_work() as uow:
        complaint = complaint_at(uow.session, ist("2026-07-06 10:00"))
        uow.commit()
        cid = complaint.id
    for _ in range(2):  # L1 -> L2 -> L3 as always
        sweep_overdue(now=_state(cid)[2] + MINUTE)
    assert _state(cid)[0] == 3
    l3_due = _state(cid)[2]
    sweep_overdue(now=l3_due + MINUTE)
    sweep_overdue(now=l3_due + timedelta(days=3))
    level, _, _, alerts, explanations, _ = _state(cid)
    assert level == 3 and alerts.count((AlertKind.L3_OVERDUE, 3)) == 1 and len(explanations) == 3
    with unit_of_work() as uow:
        s = uow.session
        from tests.officer_actors import officer_actor
        c = s.get(Complaint, cid)
        perform(session=s, complaint=c, actor=officer_actor(s, "REV-L3"), action="escalate",
                data={"note": "सचिव स्तर पर निर्णय आवश्यक"}, at=l3_due + timedelta(days=3))
        uow.commit()
    assert _state(cid)[0] == 4


def test_a_reopened_complaint_that_misses_again_at_the_same_level_asks_again(engine):
    with unit_of_work() as uow:
        s = uow.session
        complaint = complaint_at(s, ist("2026-08-03 10:00"))
        uow.commit()
        cid = complaint.id
    first_due = _state(cid)[2]
    sweep_overdue(now=first_due + MINUTE)  # L1 missed: explanation 1, now at L2
    with unit_of_work() as uow:
        s = uow.session
        c = s.get(Complaint, cid)
        at = first_due + timedelta(hours=2)
        perform(session=s, complaint=c, actor=user_actor(s, "collector.raipur"), action="resolve",
                data={"resolution": "नामांतरण कर दिया गया"}, at=at)
        perform(session=s, complaint=c, actor=helpline(), action="reopen",
                data={"reason": "अभिलेख में सुधार नहीं हुआ"}, at=at + timedelta(hours=1))
        uow.commit()
    level, status, due, *_ = _state(cid)
    assert (level, status) == (2, ComplaintStatus.REOPENED)
    sweep_overdue(now=due + MINUTE)
    level, status, due, _, explanations, _ = _state(cid)
    assert level == 3
    collector = explanations[1][2]
    assert [(lvl, rnd) for lvl, rnd, _ in explanations] == [(1, 0), (2, 1)]
    # The explanation is due in HELPLINE_EXPLANATION_DAYS working days; then it is overdue and on
    # the reviewer's (the L3 officer's) list.
    with unit_of_work() as uow:
        s = uow.session
        asked = s.scalars(select(Explanation).where(Explanation.complaint_id == cid,
                                                    Explanation.level == 2)).one()
        assert not is_overdue(asked, asked.requested_at + timedelta(hours=1))
        late = asked.due_at + MINUTE
        assert is_overdue(asked, late)
        from tests.officer_actors import officer_actor
        reviewer = officer_actor(s, "REV-L3")
        assert asked.id in [e.id for e in overdue_to_review(session=s, user=_Who(reviewer), now=late)]
        assert officer_record(session=s, officer_id=collector, now=late)["overdue"] >= 1


@dataclasses.dataclass
class _Who:
    """A desk user seen by the explanation rules (role, officer, department)."""

    actor: object

    @property
    def role(self):
        return self.actor.role

    @property
    def officer_id(self):
        return self.actor.officer_id

    @property
    def department_code(self):
        return self.actor.department_code
