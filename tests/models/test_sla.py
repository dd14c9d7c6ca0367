"""The SLA sweep escalates overdue complaints and asks the officer who missed to explain."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.complaints.complaint import Complaint
from models.complaints.explanations import (
    Explanation,
    ExplanationNotOpen,
    ExplanationStatus,
    review_explanation,
    submit_explanation,
)
from models.complaints.sla import sweep_overdue
from models.core.base import utcnow
from models.core.db import unit_of_work
from tests.factories import make_complaint


def test_overdue_complaint_climbs_and_explanation_is_requested(engine):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        l1_officer = complaint.officer_id
        complaint.due_at = utcnow() - timedelta(hours=1)
        fresh = make_complaint(uow.session)  # not yet due: stays
        uow.commit()
    assert sweep_overdue() >= 1
    with unit_of_work() as uow:
        s = uow.session
        climbed = s.get(Complaint, complaint.id)
        assert climbed.level == 2 and climbed.status.value == "escalated"
        assert climbed.officer.district_code == "RPR" and climbed.officer.level == 2
        assert climbed.due_at > utcnow()
        assert climbed.history[-1].actor == "system:sla"
        assert s.get(Complaint, fresh.id).level == 1
        explanation = s.scalars(select(Explanation).where(Explanation.complaint_id == complaint.id)).one()
        assert explanation.officer_id == l1_officer and explanation.level == 1
        with pytest.raises(ExplanationNotOpen):
            review_explanation(session=s, explanation=explanation, accepted=True, reviewer="x")
        submit_explanation(session=s, explanation=explanation, text="पटवारी अवकाश पर थे, प्रतिवेदन विलंब से मिला")
        review_explanation(session=s, explanation=explanation, accepted=False, reviewer="collector.raipur")
        assert explanation.status == ExplanationStatus.REJECTED
        uow.commit()
    # A second sweep finds nothing new for that complaint: its new deadline has not passed.
    sweep_overdue()
    with unit_of_work() as uow:
        assert uow.session.get(Complaint, complaint.id).level == 2


def test_a_bad_row_is_left_as_it_is_and_the_pass_goes_on_past_one_batch(engine):
    """No L2 officer covers one complaint: it is logged and left at L1, untouched; the others,
    more than one batch of them, are escalated in the same pass."""
    with unit_of_work() as uow:
        bad = make_complaint(uow.session)
        good = [make_complaint(uow.session) for _ in range(3)]
        for complaint in good:
            complaint.due_at = utcnow() - timedelta(hours=1)
        bad.due_at = utcnow() - timedelta(hours=2)  # first in due order, so in the first batch
        bad.district_code = None  # no L2 officer for it
        uow.commit()
        history = len(bad.history)
    sweep_overdue(batch=2)
    with unit_of_work() as uow:
        s = uow.session
        assert [s.get(Complaint, c.id).level for c in good] == [2, 2, 2]
        left = s.get(Complaint, bad.id)
        assert (left.level, left.status.value, len(left.history)) == (1, "assigned", history)
        assert left.overdue_flagged_at is None
        assert s.scalars(select(Explanation).where(Explanation.complaint_id == bad.id)).first() is None
