"""Factories for rows the tests need, built through the domain services."""

from __future__ import annotations

import itertools

from models.complaints.intake import ComplaintInput
from models.complaints.service import register

_mobiles = itertools.count(9_100_000_000)


def next_mobile() -> str:
    return str(next(_mobiles))


def make_complaint(session, **overrides):
    """A registered complaint, assigned to the L1 officer of Abhanpur (Raipur) for mutation."""
    fields = dict(mobile=next_mobile(), description="नामांतरण का आवेदन लंबित है, कृपया कार्रवाई करें",
                  channel="portal", citizen_name="सुनीता वर्मा", district_code="RPR",
                  block="RPR-ABH", category_code="REV-MUT")
    fields.update(overrides)
    return register(session=session, data=ComplaintInput(**fields), actor="test")


def feedback_try(session, complaint, attempt: int = 1):
    """A satisfaction call's try about `complaint`'s current resolution, filed as the worker does."""
    from models.calls import feedback

    return feedback.place(session=session, now=complaint.resolved_at, call=feedback.CallToPlace(
        complaint_id=complaint.id, public_id=complaint.public_id, mobile=complaint.mobile,
        language=complaint.language, resolved_at=complaint.resolved_at, attempt=attempt))
