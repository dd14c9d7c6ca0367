"""The complaint's page shows the satisfaction calls' tries and their results, in Hindi."""

from __future__ import annotations

from models.calls import feedback
from models.complaints.lifecycle import resolve
from models.core.db import unit_of_work
from tests.factories import feedback_try, make_complaint


def test_the_officer_sees_each_satisfaction_call_and_its_result(login):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        resolve(session=uow.session, complaint=complaint, actor="user:tehsildar.abhanpur",
                resolution="नामांतरण दर्ज")
        for n, result in ((1, "no_answer"), (2, "satisfied")):
            attempt = feedback_try(uow.session, complaint, attempt=n)
            feedback.record_result(session=uow.session, attempt=attempt, result=result, call_uniqueid=f"17.{n}")
        uow.commit()
        public_id = complaint.public_id
    officer = login("tehsildar.abhanpur")
    page = officer.get(f"/officer/complaints/{public_id}")
    assert page.status_code == 200
    assert 'data-feedback="1"' in page.text and 'data-feedback="2"' in page.text
    assert "उत्तर नहीं मिला" in page.text and "संतुष्ट" in page.text and "17.2" in page.text
    assert officer.get(f"/officer/complaints/{public_id}/calls/17.2/conversation").status_code == 404
