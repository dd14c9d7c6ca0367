"""Duplicate warning: an open complaint of the same caller, or of the same place and category
with similar words, is offered to the agent to link instead of registering again."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.status import OPEN
from models.core.base import utcnow

log = logging.getLogger(__name__)

SIMILARITY_THRESHOLD = 0.35
_WORD = re.compile(r"[\w\u0900-\u097F]+")  # \w misses Devanagari vowel signs in some builds


@dataclass(frozen=True)
class Similar:
    complaint: Complaint
    reason: str      # "same_mobile" or "same_place_category"
    score: float     # word overlap of the descriptions, 0..1


def words(text: str) -> set[str]:
    """The words of a text (Devanagari or Latin), lower-cased, short ones dropped."""
    return {w.lower() for w in _WORD.findall(text or "") if len(w) > 2}


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of the words of two texts."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def find_similar(*, session: Session, mobile: str | None, district_code: str | None,
                 category_code: str | None, description: str = "",
                 exclude_id: int | None = None, limit: int = 5) -> list[Similar]:
    """Open complaints the new one may duplicate, the likeliest first."""
    found: dict[int, Similar] = {}
    if mobile:
        for c in session.scalars(select(Complaint).where(
                Complaint.mobile == mobile, Complaint.status.in_(OPEN)).limit(50)):
            found[c.id] = Similar(c, "same_mobile", overlap(description, c.description))
    if district_code and category_code:
        for c in session.scalars(select(Complaint).where(
                Complaint.district_code == district_code, Complaint.category_code == category_code,
                Complaint.status.in_(OPEN)).order_by(Complaint.id.desc()).limit(300)):
            score = overlap(description, c.description)
            if c.id not in found and score >= SIMILARITY_THRESHOLD:
                found[c.id] = Similar(c, "same_place_category", score)
    found.pop(exclude_id, None)
    ranked = sorted(found.values(), key=lambda s: (s.reason != "same_mobile", -s.score,
                                                   -s.complaint.id))
    return ranked[:limit]


def link_duplicate(*, session: Session, existing: Complaint, actor: str, channel: str,
                   draft: Complaint | None = None) -> Complaint:
    """Record that the citizen came again about `existing`; a draft of this contact is rejected."""
    from models.complaints.service import transition
    from models.complaints.status import Action, ComplaintStatus

    note = f"citizen contacted again ({channel})"
    if draft is not None and draft.status is ComplaintStatus.DRAFT:
        transition(session=session, complaint=draft, action=Action.REJECT, actor=actor,
                   channel=channel, note=f"duplicate of {existing.public_id}")
        note += f"; draft {draft.public_id} linked here"
    session.add(ComplaintEvent(complaint=existing, at=utcnow(), actor=actor, channel=channel,
                               action="linked", from_status=existing.status.value,
                               to_status=existing.status.value, level=existing.level,
                               officer_id=existing.officer_id, note=note))
    existing.last_action_at = utcnow()
    session.flush()
    return existing
