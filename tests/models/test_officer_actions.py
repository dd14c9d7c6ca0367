"""The officers' actions: who may (NotAllowed), which statuses allow them (IllegalTransition), what
input they need (InvalidField naming the field), and what they leave in the history."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from models.complaints.actions import perform
from models.complaints.alerts import AlertKind, alerts_of
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import NotAllowed, may_see
from models.complaints.notes import attachment_file, attachments_of
from models.complaints.requests import NoApprover, RequestNotPending, RequestPending, requests_of
from models.complaints.status import ComplaintStatus, IllegalTransition
from models.complaints.transfers import TransferCapReached, transfers_of
from models.core.settings import get_settings
from models.notifications.outbox import for_complaint
from models.people.users import Role
from tests.factories import make_complaint
from tests.officer_actors import helpline, officer_actor, user_actor

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def settings(tmp_path):
    return dataclasses.replace(get_settings(), attachments_dir=tmp_path / "attachments",
                               attachment_max_bytes=1024, transfer_cap=3)


def act(session, complaint, actor, action, settings=None, **data):
    uploads = data.pop("uploads", [])
    return perform(session=session, complaint=complaint, actor=actor, action=action, data=data,
                   uploads=uploads, settings=settings)


def test_only_the_holder_starts_notes_and_resolves_and_the_level_is_kept(session, settings):
    from models.complaints.notes import Upload

    complaint = make_complaint(session)
    tehsildar, collector = user_actor(session, "tehsildar.abhanpur"), user_actor(session, "collector.raipur")
    for stranger in (collector, helpline(), officer_actor(session, "PWD-L1-RPR-ABH")):
        with pytest.raises(NotAllowed):
            act(session, complaint, stranger, "start")
        with pytest.raises(NotAllowed):
            act(session, complaint, stranger, "resolve", resolution="कर दिया")
    act(session, complaint, tehsildar, "start")
    stored = act(session, complaint, tehsildar, "note", settings, note="पटवारी से प्रतिवेदन मंगाया",
                 uploads=[Upload("site.jpg", JPEG), Upload("order.png", PNG)])
    assert [a.content_type for a in stored] == ["image/jpeg", "image/png"]
    assert len(attachments_of(session=session, complaint=complaint)) == 2
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, tehsildar, "resolve", resolution="  ")
    assert bad.value.field == "resolution"
    act(session, complaint, tehsildar, "resolve", resolution="नामांतरण दर्ज कर दिया गया")
    assert complaint.status is ComplaintStatus.RESOLVED and complaint.resolved_level == 1
    with pytest.raises(IllegalTransition):
        act(session, complaint, tehsildar, "start")
    events = [(e.action, e.actor, e.level) for e in complaint.history]
    assert ("note", "user:tehsildar.abhanpur", 1) in events
    assert events[-1] == ("resolve", "user:tehsildar.abhanpur", 1)


def test_attachments_are_sniffed_capped_and_served_only_within_jurisdiction(session, settings):
    from models.complaints.notes import Upload

    complaint = make_complaint(session)
    tehsildar = user_actor(session, "tehsildar.abhanpur")
    for upload, code in [(Upload("x.jpg", b"GIF89a" + b"\x00" * 10), "wrong_file_type"),
                         (Upload("big.png", PNG + b"\x00" * 2000), "too_large"),
                         (Upload("e.pdf", b""), "empty")]:
        with pytest.raises(InvalidField) as bad:
            act(session, complaint, tehsildar, "note", settings, note="फोटो संलग्न", uploads=[upload])
        assert (bad.value.field, bad.value.code) == ("attachments", code)
    assert attachments_of(session=session, complaint=complaint) == []
    [pdf] = act(session, complaint, tehsildar, "note", settings, note="आदेश की प्रति",
                uploads=[Upload("../../etc/order.pdf", b"%PDF-1.4 demo")])
    assert pdf.filename == "order.pdf" and pdf.content_type == "application/pdf"
    found = attachment_file(session=session, attachment_id=pdf.id, actor=tehsildar, settings=settings)
    assert found and found[1].read_bytes() == b"%PDF-1.4 demo"
    assert found[1].parent == (settings.attachments_dir).resolve()
    # Raipur's collector and the Revenue secretary see it; another district's L2 and another
    # department's L1 do not.
    assert attachment_file(session=session, attachment_id=pdf.id, settings=settings,
                           actor=user_actor(session, "collector.raipur"))
    assert attachment_file(session=session, attachment_id=pdf.id, settings=settings,
                           actor=user_actor(session, "secretary.rev"))
    for outsider in (officer_actor(session, "REV-L2-BSP"), officer_actor(session, "PWD-L1-RPR-ABH")):
        assert not may_see(outsider, complaint)
        assert attachment_file(session=session, attachment_id=pdf.id, actor=outsider, settings=settings) is None


def test_interim_reply_is_queued_as_sms_and_recorded(session):
    complaint = make_complaint(session)
    tehsildar = user_actor(session, "tehsildar.abhanpur")
    with pytest.raises(NotAllowed):
        act(session, complaint, user_actor(session, "collector.raipur"), "interim_reply", text="जाँच जारी है")
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, tehsildar, "interim_reply", text="ठीक")
    assert bad.value.field == "text"
    act(session, complaint, tehsildar, "interim_reply", text="पटवारी कल स्थल निरीक्षण करेंगे")
    sms = [m for m in for_complaint(session=session, complaint=complaint) if m.kind == "interim"]
    assert len(sms) == 1 and complaint.public_id in sms[0].body and "पटवारी" in sms[0].body
    assert sms[0].mobile == complaint.mobile
    assert complaint.history[-1].action == "interim_reply"


def test_not_my_department_goes_to_the_nodal_officer_who_reroutes_or_sends_back(session):
    complaint = make_complaint(session)
    tehsildar, nodal = user_actor(session, "tehsildar.abhanpur"), user_actor(session, "nodal.rev")
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, tehsildar, "return", reason="")
    assert bad.value.field == "reason"
    act(session, complaint, tehsildar, "return", reason="यह सीमांकन का मामला है")
    assert complaint.status is ComplaintStatus.WITH_NODAL and complaint.officer_id == nodal.officer_id
    assert complaint.due_at is None and "not my department" in complaint.history[-1].note
    with pytest.raises(NotAllowed):  # the tehsildar no longer holds it; an agent is not the nodal
        act(session, complaint, helpline(), "reroute", category="REV-DEM")
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, nodal, "reroute", category="PWD-RDS")
    assert (bad.value.field, bad.value.code) == ("category", "other_department")
    act(session, complaint, nodal, "reroute", category="REV-DEM")
    assert complaint.status is ComplaintStatus.ASSIGNED and complaint.category_code == "REV-DEM"
    assert complaint.officer_id == tehsildar.officer_id and complaint.due_at is not None
    assert complaint.transfer_count == 0  # within the department is not a transfer
    act(session, complaint, tehsildar, "return", reason="यह लोक निर्माण विभाग का मामला है")
    act(session, complaint, nodal, "send_back", reason="सड़क का मामला, लोक निर्माण विभाग")
    assert complaint.status is ComplaintStatus.RETURNED and complaint.officer_id is None
    with pytest.raises(IllegalTransition):
        act(session, complaint, nodal, "reroute", category="REV-DEM")
    act(session, complaint, helpline(), "transfer", category="PWD-RDS")
    assert complaint.department_code == "PWD" and complaint.status is ComplaintStatus.ASSIGNED
    assert complaint.transfer_count == 1
    assert [(t.from_department, t.to_department) for t in transfers_of(session=session, complaint=complaint)] \
        == [("REV", "PWD")]


def _bounce(session, complaint, category, settings):
    """The holder says 'not mine', the nodal officer sends it back, the helpline transfers it."""
    dept = complaint.department_code
    holder = officer_actor(session, session.get(type(complaint.officer), complaint.officer_id).code)
    act(session, complaint, holder, "return", reason="दूसरे विभाग का मामला")
    act(session, complaint, officer_actor(session, f"{dept}-NODAL", Role.NODAL_OFFICER), "send_back",
        settings, reason="दूसरे विभाग का मामला")
    act(session, complaint, helpline(), "transfer", settings, category=category)


def test_ping_pong_alerts_both_nodal_officers_and_the_cap_keeps_it_in_the_department(session, settings):
    settings = dataclasses.replace(settings, transfer_cap=2)
    complaint = make_complaint(session)
    _bounce(session, complaint, "PWD-RDS", settings)
    assert not [a for a in alerts_of(session=session, complaint=complaint) if a.kind is AlertKind.PING_PONG]
    _bounce(session, complaint, "REV-MUT", settings)  # back to Revenue: the second move REV<->PWD
    ping = {a.officer.code for a in alerts_of(session=session, complaint=complaint) if a.kind is AlertKind.PING_PONG}
    assert ping == {"REV-NODAL", "PWD-NODAL"}
    assert complaint.transfer_count == 2 and complaint.department_code == "REV"
    # At the cap the nodal officer may not send it back, and a helpline transfer lands with them.
    tehsildar = user_actor(session, "tehsildar.abhanpur")
    act(session, complaint, tehsildar, "return", reason="दूसरे विभाग का मामला")
    with pytest.raises(TransferCapReached):
        act(session, complaint, user_actor(session, "nodal.rev"), "send_back", settings, reason="फिर से लौटाएँ")
    act(session, complaint, user_actor(session, "nodal.rev"), "reroute", category="REV-MUT")
    from models.complaints.service import transition
    from models.complaints.status import Action

    transition(session=session, complaint=complaint, action=Action.RETURN, actor="test", channel="test",
               officer_id=None, due_at=None, note="returned to the helpline directly")
    act(session, complaint, helpline(), "transfer", settings, category="PWD-RDS")
    assert complaint.status is ComplaintStatus.WITH_NODAL and complaint.department_code == "REV"
    assert complaint.officer.code == "REV-NODAL" and complaint.transfer_count == 2
    assert [a for a in alerts_of(session=session, complaint=complaint)
            if a.kind is AlertKind.TRANSFER_CAP and a.officer.code == "REV-NODAL"]


def test_more_time_moves_the_due_time_only_when_the_next_level_approves(session):
    complaint = make_complaint(session)
    tehsildar, collector = user_actor(session, "tehsildar.abhanpur"), user_actor(session, "collector.raipur")
    due = complaint.due_at
    for bad_days, code in [(None, "required"), ("0", "out_of_range"), ("abc", "out_of_range"), (400, "out_of_range")]:
        with pytest.raises(InvalidField) as bad:
            act(session, complaint, tehsildar, "request_more_time", days=bad_days, note="पटवारी अवकाश पर")
        assert (bad.value.field, bad.value.code) == ("days", code)
    request = act(session, complaint, tehsildar, "request_more_time", days="3", note="पटवारी अवकाश पर हैं")
    assert request.approver_officer_id == collector.officer_id
    with pytest.raises(RequestPending):
        act(session, complaint, tehsildar, "request_more_time", days="2", note="फिर से अनुरोध")
    for not_next in (tehsildar, officer_actor(session, "REV-L2-BSP")):
        with pytest.raises(NotAllowed):
            act(session, complaint, not_next, "decide", request_id=str(request.id), decision="approve")
    act(session, complaint, collector, "decide", request_id=str(request.id), decision="refuse", note="नहीं")
    assert complaint.due_at == due
    with pytest.raises(RequestNotPending):
        act(session, complaint, collector, "decide", request_id=str(request.id), decision="approve")
    again = act(session, complaint, tehsildar, "request_more_time", days="3", note="राजस्व निरीक्षक का प्रतिवेदन")
    act(session, complaint, collector, "decide", request_id=str(again.id), decision="approve")
    assert complaint.due_at > due + timedelta(days=2)
    assert [r.status.value for r in requests_of(session=session, complaint=complaint)] == ["refused", "approved"]
    actions = [e.action for e in complaint.history]
    assert actions[-4:] == ["more_time_requested", "more_time_refused", "more_time_requested",
                            "more_time_approved"]


def test_pause_needs_a_reason_code_and_approval_and_the_secretary_has_no_next_level(session):
    complaint = make_complaint(session)
    tehsildar, collector = user_actor(session, "tehsildar.abhanpur"), user_actor(session, "collector.raipur")
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, tehsildar, "request_pause", reason_code="holiday", note="प्रतीक्षा")
    assert (bad.value.field, bad.value.code) == ("reason_code", "unknown")
    request = act(session, complaint, tehsildar, "request_pause", reason_code="awaiting_citizen",
                  note="आवेदक से दस्तावेज़ माँगे गए")
    assert complaint.status is ComplaintStatus.ASSIGNED  # not paused before approval
    act(session, complaint, collector, "decide", request_id=str(request.id), decision="approve")
    assert complaint.status is ComplaintStatus.PAUSED and complaint.pause_reason == "awaiting_citizen"
    assert complaint.pause_ends_at - complaint.paused_at == timedelta(days=15)
    due = complaint.due_at
    later = complaint.paused_at + timedelta(days=2)
    perform(session=session, complaint=complaint, actor=tehsildar, action="resume", at=later)
    assert complaint.status is ComplaintStatus.IN_PROGRESS and complaint.due_at == due + timedelta(days=2)
    with pytest.raises(IllegalTransition):
        act(session, complaint, tehsildar, "resume")
    # At L4 nobody is above the secretary to decide.
    top = make_complaint(session)
    from models.complaints.lifecycle import escalate
    for _ in range(3):
        escalate(session=session, complaint=top)
    with pytest.raises(NoApprover):
        act(session, top, user_actor(session, "secretary.rev"), "request_pause", reason_code="sub_judice",
            note="उच्च न्यायालय में लंबित")


def test_special_closure_proposed_at_l1_approved_by_l3_or_nodal_and_force_closure_by_secretary(session):
    complaint = make_complaint(session)
    tehsildar = user_actor(session, "tehsildar.abhanpur")
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, tehsildar, "propose_special_closure", reason_code="", note="नीतिगत")
    assert bad.value.field == "reason_code"
    request = act(session, complaint, tehsildar, "propose_special_closure", reason_code="policy_matter",
                  note="नीतिगत निर्णय का विषय है")
    with pytest.raises(NotAllowed):  # the next level (L2) does not approve a special closure
        act(session, complaint, user_actor(session, "collector.raipur"), "decide",
            request_id=str(request.id), decision="approve")
    act(session, complaint, officer_actor(session, "REV-L3"), "decide", request_id=str(request.id),
        decision="approve")
    assert complaint.status is ComplaintStatus.SPECIAL_CLOSED and complaint.closure_reason == "policy_matter"
    assert complaint.resolved_level is None  # counted apart from resolved complaints
    other = make_complaint(session)
    request = act(session, other, tehsildar, "propose_special_closure", reason_code="duplicate",
                  note="पूर्व शिकायत की पुनरावृत्ति")
    act(session, other, user_actor(session, "nodal.rev"), "decide", request_id=str(request.id), decision="approve")
    assert other.status is ComplaintStatus.SPECIAL_CLOSED
    third = make_complaint(session)
    for not_secretary in (user_actor(session, "nodal.rev"), tehsildar, helpline(Role.ADMIN)):
        with pytest.raises(NotAllowed):
            act(session, third, not_secretary, "force_close", reason="सचिव का आदेश")
    act(session, third, user_actor(session, "secretary.rev"), "force_close", reason="शासन के आदेश से बंद")
    assert third.status is ComplaintStatus.FORCE_CLOSED and third.closure_reason == "secretary_order"
    with pytest.raises(IllegalTransition):
        act(session, third, user_actor(session, "secretary.rev"), "force_close", reason="फिर से")


def test_reopen_goes_back_to_the_resolving_level_with_a_fresh_time_limit(session):
    from models.complaints.lifecycle import escalate

    complaint = make_complaint(session)
    escalate(session=session, complaint=complaint)
    collector = user_actor(session, "collector.raipur")
    act(session, complaint, collector, "resolve", resolution="नामांतरण हो गया")
    assert complaint.resolved_level == 2
    with pytest.raises(NotAllowed):
        act(session, complaint, collector, "reopen", reason="नागरिक संतुष्ट नहीं")
    with pytest.raises(InvalidField):
        act(session, complaint, helpline(), "reopen", reason="")
    act(session, complaint, helpline(), "reopen", reason="नागरिक संतुष्ट नहीं, रिकॉर्ड अद्यतन नहीं")
    assert complaint.status is ComplaintStatus.REOPENED and complaint.level == 2
    assert complaint.officer_id == collector.officer_id and complaint.reopen_count == 1
    assert complaint.due_at > complaint.reopened_at and complaint.level_started_at == complaint.reopened_at
    with pytest.raises(IllegalTransition):
        act(session, complaint, helpline(), "reopen", reason="फिर से")


def test_unknown_action_names_the_field(session):
    complaint = make_complaint(session)
    with pytest.raises(InvalidField) as bad:
        act(session, complaint, helpline(), "fly")
    assert (bad.value.field, bad.value.code) == ("action", "unknown")
