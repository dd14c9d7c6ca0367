"""The domain functions the desk's views call instead of querying the database themselves."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from models.calls.service import start_call
from models.complaints import lifecycle
from models.complaints import service as complaints
from models.complaints.drafts import link_at_desk
from models.complaints.explanations import (
    get_explanation,
    may_review,
    may_submit,
    request_explanation,
    submit_explanation,
    to_review,
)
from models.complaints.status import ComplaintStatus
from models.people import users
from models.people.officers import Officer
from models.people.users import Role
from models.reference.departments import all_departments, search_categories
from models.reference.places import blocks_of
from tests.factories import make_complaint, next_mobile


def officer_id(session, code: str) -> int:
    return session.scalars(select(Officer.id).where(Officer.code == code)).one()


def person(role: Role = Role.OFFICER, officer_id: int | None = None, department_code: str | None = None):
    """Whoever the desk has logged in: the rules need only role, officer and department."""
    return SimpleNamespace(role=role, officer_id=officer_id, department_code=department_code)


# -- users ---------------------------------------------------------------------------------------

def test_users_listed_all_and_by_role(session):
    everyone = users.all_users(session=session)
    names = [u.username for u in everyone]
    assert names == sorted(names) and {"admin", "agent1", "supervisor"} <= set(names)
    agents = users.users_with_role(session=session, role=Role.AGENT)
    assert agents and all(u.role is Role.AGENT for u in agents)
    assert [u.username for u in agents] == sorted(u.username for u in agents)
    assert "supervisor" not in {u.username for u in agents}


def test_toggle_active_locks_the_user_out_and_back_in(session):
    user = users.add_user(session=session, username=f"temp.{uuid.uuid4().hex[:8]}",
                          password="long-enough-1", role="agent")
    assert users.get_user(session=session, user_id=user.id) is user
    assert users.get_user(session=session, user_id=10**9) is None
    users.toggle_active(session=session, user=user)
    assert not user.active
    assert users.authenticate(session=session, username=user.username, password="long-enough-1") is None
    users.toggle_active(session=session, user=user)
    assert users.authenticate(session=session, username=user.username, password="long-enough-1") is user


def test_set_language_is_kept_on_the_account(session):
    agent = users.users_with_role(session=session, role=Role.AGENT)[0]
    users.set_language(session=session, user_id=agent.id, language="en")
    session.expire(agent)
    assert agent.language == "en"
    users.set_language(session=session, user_id=10**9, language="en")  # a vanished user: nothing


def test_add_user_refusals_carry_codes(session):
    with pytest.raises(users.WeakPassword) as weak:
        users.add_user(session=session, username="weak.one", password="short", role="agent")
    assert (weak.value.code, weak.value.limit) == ("weak_password", 8)
    with pytest.raises(users.UnknownRole) as role:
        users.add_user(session=session, username="boss.one", password="long-enough-1", role="boss")
    assert role.value.code == "unknown_role"
    with pytest.raises(users.UserExists) as exists:
        users.add_user(session=session, username="agent1", password="long-enough-1", role="agent")
    assert exists.value.code == "user_exists"


# -- reference data ------------------------------------------------------------------------------

def test_departments_by_code(session):
    codes = [d.code for d in all_departments(session=session)]
    assert codes == sorted(codes) and "REV" in codes


@pytest.mark.parametrize("text", ["REV-MUT", "rev-mut", "Mutation", "नामांतरण"])
def test_category_search_by_code_or_either_name(session, text):
    assert "REV-MUT" in [c.code for c in search_categories(session=session, text=text)]


def test_category_search_without_text_gives_the_first_by_code(session):
    found = [c.code for c in search_categories(session=session, text=" ", limit=5)]
    assert len(found) == 5 and found == sorted(found)
    assert search_categories(session=session, text="no such category anywhere") == []


def test_blocks_of_a_district(session):
    blocks = blocks_of(session=session, district_code="rpr")
    assert "RPR-ABH" in [b.code for b in blocks]
    assert all(b.district_code == "RPR" for b in blocks)
    assert [b.name_en for b in blocks] == sorted(b.name_en for b in blocks)
    assert blocks_of(session=session, district_code="XXX") == []


# -- complaints ----------------------------------------------------------------------------------

def test_open_for_officer_holds_only_open_complaints_of_that_officer(session):
    complaint = make_complaint(session)
    tehsildar = officer_id(session, "REV-L1-RPR-ABH")
    mine = complaints.open_for_officer(session=session, officer_id=tehsildar)
    assert complaint in mine and all(c.officer_id == tehsildar for c in mine)
    assert [c.due_at for c in mine] == sorted(c.due_at for c in mine)
    assert complaint not in complaints.open_for_officer(session=session, officer_id=officer_id(session, "REV-L2-RPR"))
    lifecycle.resolve(session=session, complaint=complaint, actor="test", resolution="नामांतरण हो गया")
    assert complaint not in complaints.open_for_officer(session=session, officer_id=tehsildar)


def test_earlier_of_mobile_leaves_out_drafts_and_the_one_being_handled(session):
    mobile = next_mobile()
    first = make_complaint(session, mobile=mobile)
    second = make_complaint(session, mobile=mobile)
    second.created_at = datetime(2099, 1, 1, tzinfo=UTC)  # clearly the newest
    draft = complaints.create_draft(session=session, mobile=mobile, district_code="RPR")
    session.flush()
    assert complaints.earlier_of_mobile(session=session, mobile=mobile) == [second, first]
    assert complaints.earlier_of_mobile(session=session, mobile=mobile, exclude_id=second.id) == [first]
    assert draft not in complaints.earlier_of_mobile(session=session, mobile=mobile)
    assert complaints.earlier_of_mobile(session=session, mobile="") == []
    assert complaints.earlier_of_mobile(session=session, mobile=mobile, limit=1) == [second]


def test_only_the_holding_officer_may_act_on_a_complaint(session):
    complaint = make_complaint(session)
    assert lifecycle.may_act_on(user=person(officer_id=complaint.officer_id), complaint=complaint)
    assert not lifecycle.may_act_on(user=person(officer_id=officer_id(session, "REV-L2-RPR")), complaint=complaint)
    assert not lifecycle.may_act_on(user=person(Role.AGENT), complaint=complaint)
    complaint.officer_id = None
    assert not lifecycle.may_act_on(user=person(Role.AGENT), complaint=complaint)


# -- explanations --------------------------------------------------------------------------------

@pytest.fixture
def explained(session):
    """The tehsildar missed the L1 deadline and explained; the collector now holds the complaint."""
    complaint = make_complaint(session)
    tehsildar = complaint.officer_id
    explanation = request_explanation(session=session, complaint=complaint, officer_id=tehsildar, level=1,
                                      missed_due_at=complaint.due_at)
    lifecycle.escalate(session=session, complaint=complaint)
    return explanation


def test_only_the_officer_who_missed_submits(session, explained):
    assert get_explanation(session=session, explanation_id=explained.id) is explained
    assert get_explanation(session=session, explanation_id=10**9) is None
    assert may_submit(user=person(officer_id=explained.officer_id), explanation=explained)
    assert not may_submit(user=person(officer_id=explained.complaint.officer_id), explanation=explained)
    assert not may_submit(user=person(Role.AGENT), explanation=explained)


def test_who_may_review_and_sees_it_to_review(session, explained):
    submit_explanation(session=session, explanation=explained, text="पटवारी अवकाश पर थे, इसलिए देरी हुई")
    collector = person(officer_id=explained.complaint.officer_id)
    tehsildar = person(officer_id=explained.officer_id)
    nodal = person(Role.NODAL_OFFICER, officer_id(session, "REV-NODAL"), "REV")
    secretary = person(Role.SECRETARY, officer_id(session, "REV-L4"), "REV")
    other_nodal = person(Role.NODAL_OFFICER, None, "PHE")
    plain_officer_of_rev = person(Role.OFFICER, officer_id(session, "REV-NODAL"), "REV")
    for user in (collector, nodal, secretary):
        assert may_review(user=user, explanation=explained)
        assert explained in to_review(session=session, user=user)
    for user in (tehsildar, other_nodal, plain_officer_of_rev):
        assert not may_review(user=user, explanation=explained)
        assert explained not in to_review(session=session, user=user)
    # A nodal officer who wrote the explanation does not review it either.
    assert not may_review(user=person(Role.NODAL_OFFICER, explained.officer_id, "REV"), explanation=explained)


def test_an_explanation_not_yet_submitted_is_not_to_review(session, explained):
    collector = person(officer_id=explained.complaint.officer_id)
    assert explained not in to_review(session=session, user=collector)


# -- the desk's link instead of registering ------------------------------------------------------

def test_link_at_desk_moves_the_call_and_rejects_the_draft(session):
    existing = make_complaint(session)
    call = start_call(session=session, uniqueid=f"link-{uuid.uuid4().hex[:12]}", caller_number=existing.mobile)
    draft = complaints.create_draft(session=session, call=call, mobile=existing.mobile, district_code="RPR")
    assert link_at_desk(session=session, existing=existing, agent="agent1", draft=draft) is existing
    assert draft.status is ComplaintStatus.REJECTED
    assert (call.complaint_id, call.disposition, call.agent) == (existing.id, "linked", "agent1")
    event = existing.history[-1]
    assert (event.action, event.actor, event.channel) == ("linked", "user:agent1", "phone")
    assert draft.public_id in event.note


def test_link_at_desk_for_a_counter_visit(session):
    existing = make_complaint(session)
    link_at_desk(session=session, existing=existing, agent="supervisor")
    event = existing.history[-1]
    assert (event.action, event.actor, event.channel) == ("linked", "user:supervisor", "counter")
