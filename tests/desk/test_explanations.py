"""Explanations on the officer's pages: the officer who missed submits, the senior officer reviews."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from models.complaints.explanations import Explanation, ExplanationStatus
from models.complaints.service import get_by_public_id
from models.complaints.sla import sweep_overdue
from models.core.db import unit_of_work
from models.people.officers import Officer
from models.people.users import Role, add_user
from tests.desk.conftest import PASSWORD, post_form
from tests.factories import make_complaint

PAGE = "/officer/explanations"
MISSED = datetime(2001, 1, 1, 6, 30, tzinfo=timezone.utc)  # long before any demo deadline, so the sweep touches only ours
_suffix = itertools.count()


def _overdue_explanation() -> tuple[str, int]:
    """A complaint at the Abhanpur tehsildar, swept past its deadline; its public ID and explanation."""
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        complaint.due_at = MISSED
        uow.commit()
        public_id = complaint.public_id
    assert sweep_overdue(now=MISSED + timedelta(minutes=1)) == 1
    with unit_of_work() as uow:
        complaint = get_by_public_id(session=uow.session, public_id=public_id)
        assert complaint.level == 2
        explanation = uow.session.scalars(select(Explanation).where(
            Explanation.complaint_id == complaint.id)).one()
        return public_id, explanation.id


def _other_officer_login(login) -> str:
    """A new officer login for an officer who neither missed nor holds the complaint."""
    username = f"officer.other{next(_suffix)}.{datetime.now().timestamp():.0f}"
    with unit_of_work() as uow:
        officer_id = uow.session.scalars(select(Officer.id).where(
            Officer.code.notin_(["REV-L1-RPR-ABH", "REV-L2-RPR", "REV-NODAL", "REV-L4"]),
            Officer.department_code != "REV")).first()
        add_user(session=uow.session, username=username, password=PASSWORD, role=Role.OFFICER,
                 officer_id=officer_id)
        uow.commit()
    return username


def _status(explanation_id: int) -> Explanation:
    with unit_of_work() as uow:
        explanation = uow.session.get(Explanation, explanation_id)
        uow.session.expunge(explanation)
        return explanation


def test_officer_explains_and_senior_accepts(login):
    public_id, explanation_id = _overdue_explanation()
    submit_url = f"/officer/explanations/{explanation_id}/submit"
    review_url = f"/officer/explanations/{explanation_id}/review"

    tehsildar = login("tehsildar.abhanpur")
    page = tehsildar.get(PAGE)
    assert page.status_code == 200
    assert public_id in page.text and "01-01-2001 12:00" in page.text  # 06:30 UTC in India time
    assert "स्पष्टीकरण" in page.text  # Hindi labels by default

    assert tehsildar.post(submit_url, data={"text": "बाढ़ के कारण देरी हुई"}).status_code == 400  # no CSRF
    short = post_form(tehsildar, PAGE, submit_url, {"text": "देरी"})
    assert short.status_code == 400 and 'class="field-error"' in short.text
    assert _status(explanation_id).status == ExplanationStatus.REQUESTED

    # Another officer may neither submit nor review it.
    other = login(_other_officer_login(login))
    assert public_id not in other.get(PAGE).text
    assert post_form(other, PAGE, submit_url, {"text": "किसी और का स्पष्टीकरण है यह"}).status_code == 403

    ok = post_form(tehsildar, PAGE, submit_url, {"text": "पटवारी अवकाश पर थे, इसलिए जाँच में देरी हुई"})
    assert ok.status_code == 302
    assert _status(explanation_id).status == ExplanationStatus.SUBMITTED
    assert public_id not in tehsildar.get(PAGE).text  # no longer asked of them
    # The tehsildar does not hold the complaint any more and cannot review their own explanation.
    assert post_form(tehsildar, PAGE, review_url, {"decision": "accept"}).status_code == 403
    assert post_form(other, PAGE, review_url, {"decision": "accept"}).status_code == 403

    collector = login("collector.raipur")
    board = collector.get(PAGE)
    assert public_id in board.text and "पटवारी अवकाश पर थे" in board.text
    done = post_form(collector, PAGE, review_url, {"decision": "accept", "note": "स्वीकार, आगे ध्यान रखें"})
    assert done.status_code == 302
    explanation = _status(explanation_id)
    assert explanation.status == ExplanationStatus.ACCEPTED
    assert explanation.reviewer == "user:collector.raipur" and explanation.review_note == "स्वीकार, आगे ध्यान रखें"


def test_department_secretary_rejects(login):
    public_id, explanation_id = _overdue_explanation()
    post_form(login("tehsildar.abhanpur"), PAGE, f"/officer/explanations/{explanation_id}/submit",
              {"text": "राजस्व अभिलेख उपलब्ध नहीं थे"})
    secretary = login("secretary.rev")
    assert public_id in secretary.get(PAGE).text
    response = post_form(secretary, PAGE, f"/officer/explanations/{explanation_id}/review",
                         {"decision": "reject", "note": "कारण पर्याप्त नहीं"})
    assert response.status_code == 302
    assert _status(explanation_id).status == ExplanationStatus.REJECTED


def test_agent_gets_403_on_explanations(login):
    _, explanation_id = _overdue_explanation()
    agent = login("agent1")
    assert agent.get(PAGE).status_code == 403
    for action, data in (("submit", {"text": "एजेंट का स्पष्टीकरण नहीं चलेगा"}), ("review", {"decision": "accept"})):
        assert post_form(agent, "/agent/", f"/officer/explanations/{explanation_id}/{action}", data).status_code == 403
    assert _status(explanation_id).status == ExplanationStatus.REQUESTED
