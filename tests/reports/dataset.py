"""A seeded set of complaints with every kind of fate, in March–April 2025 (far from other tests'
rows), moved through the domain with controlled times; and plain-loop counts to check reports by."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from models.complaints.complaint import Complaint
from models.complaints.explanations import ExplanationStatus, request_explanation
from models.complaints.lifecycle import escalate, force_close, reopen
from models.complaints.service import transition
from models.complaints.status import Action
from models.complaints.transfers import ComplaintTransfer

T0 = datetime(2025, 3, 3, 5, 0, tzinfo=timezone.utc)        # Monday 10:30 India time
NOW = datetime(2025, 4, 20, 6, 0, tzinfo=timezone.utc)
PLACES = [("RPR", "RPR-ABH"), ("BST", "BST-JDP"), ("DRG", "DRG-PTN"), ("BSP", "BSP-KOT"), ("BLD", None)]
CATEGORIES = ["REV-MUT", "PHE-HPM"]
FATES = ["open", "started", "escalated", "escalated2", "resolved", "satisfied", "no_response",
         "closed_plain", "reopened", "reopened_satisfied", "force", "special", "paused", "nodal",
         "sent_back", "late_resolved", "resolved_l3", "resolved_l4"]
CLIMBS = {"escalated": 1, "late_resolved": 1, "escalated2": 2, "resolved_l3": 2, "resolved_l4": 3}


def _resolve(session, complaint, at):
    return transition(session=session, complaint=complaint, action=Action.RESOLVE, actor="test",
                      channel="desk", at=at, resolution="काम पूरा हुआ", resolved_level=complaint.level)


def _close(session, complaint, at, reason=None):
    return transition(session=session, complaint=complaint, action=Action.CLOSE, actor="test",
                      channel="phone", at=at, closure_reason=reason)


def build(session, count: int = 64, seed: int = 12) -> list[Complaint]:
    """`count` complaints registered over six weeks from T0, each given a fate."""
    rng = random.Random(seed)
    made = []
    for i in range(count):
        district, block = PLACES[i % len(PLACES)]
        at = T0 + timedelta(hours=17 * i + rng.randint(0, 5))
        channel = ["portal", "phone", "cm_jandarshan", "collector_jandarshan"][i % 4]
        c = _make(session, district, block, i, channel, at)
        fate = FATES[i % len(FATES)]
        step = at + timedelta(hours=rng.randint(2, 200))
        if fate == "started":
            transition(session=session, complaint=c, action=Action.START, actor="test", channel="desk", at=step)
        for _ in range(CLIMBS.get(fate, 0)):
            request_explanation(session=session, complaint=c, officer_id=c.officer_id, level=c.level,
                                missed_due_at=c.due_at, at=step, days=3)
            escalate(session=session, complaint=c, at=step)
            step += timedelta(days=6)
        if fate in ("resolved", "satisfied", "no_response", "closed_plain", "reopened",
                    "reopened_satisfied", "late_resolved", "resolved_l3", "resolved_l4"):
            _resolve(session, c, step + timedelta(days=rng.randint(0, 12)))
        if fate == "satisfied":
            _close(session, c, c.resolved_at + timedelta(days=2), "satisfied")
        if fate == "no_response":
            _close(session, c, c.resolved_at + timedelta(days=3), "no_response")
        if fate == "closed_plain":
            _close(session, c, c.resolved_at + timedelta(days=1))
        if fate in ("reopened", "reopened_satisfied"):
            reopen(session=session, complaint=c, actor="test", reason="नागरिक संतुष्ट नहीं",
                   at=c.resolved_at + timedelta(days=2))
            if fate == "reopened_satisfied":
                _resolve(session, c, c.reopened_at + timedelta(days=4))
                _close(session, c, c.resolved_at + timedelta(days=1), "satisfied")
        if fate == "force":
            force_close(session=session, complaint=c, actor="test", reason="सचिव का आदेश", at=step)
        if fate == "special":
            transition(session=session, complaint=c, action=Action.SPECIAL_CLOSE, actor="test",
                       channel="desk", at=step, closure_reason="policy_matter")
        if fate == "paused":
            transition(session=session, complaint=c, action=Action.PAUSE, actor="test", channel="desk",
                       at=step, pause_reason="awaiting_citizen")
        if fate in ("nodal", "sent_back"):
            transition(session=session, complaint=c, action=Action.REFER_TO_NODAL, actor="test",
                       channel="desk", at=step)
            if fate == "sent_back":
                transition(session=session, complaint=c, action=Action.RETURN, actor="test",
                           channel="desk", at=step + timedelta(hours=3))
                other = "PHE" if c.department_code == "REV" else "REV"
                session.add(ComplaintTransfer(complaint_id=c.id, from_department=c.department_code,
                                              to_department=other, at=step + timedelta(hours=4), actor="test"))
        made.append(c)
    _review_some(session, made, rng)
    session.flush()
    return made


def _make(session, district, block, i, channel, at):
    from models.complaints.intake import ComplaintInput
    from models.complaints.service import register
    from tests.factories import next_mobile

    return register(session=session, actor="test", at=at, data=ComplaintInput(
        mobile=next_mobile(), description=f"रिपोर्ट परीक्षण शिकायत {i}", channel=channel,
        citizen_name="रमेश साहू", district_code=district, block=block, category_code=CATEGORIES[i % 2]))


def _review_some(session, complaints, rng):
    from sqlalchemy import select

    from models.complaints.explanations import Explanation

    ids = [c.id for c in complaints]
    rows = list(session.scalars(select(Explanation).where(Explanation.complaint_id.in_(ids))
                                .order_by(Explanation.id)))
    for n, row in enumerate(rows):
        kind = n % 4
        if kind >= 1:
            row.status, row.text = ExplanationStatus.SUBMITTED, "पटवारी अवकाश पर थे"
            row.submitted_at = row.requested_at + timedelta(days=1)
        if kind == 2:
            row.status, row.reviewed_at, row.reviewer = ExplanationStatus.ACCEPTED, row.submitted_at, "test"
        if kind == 3:
            row.status, row.reviewed_at, row.reviewer = ExplanationStatus.REJECTED, row.submitted_at, "test"
