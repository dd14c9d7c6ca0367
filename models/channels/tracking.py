"""Following a complaint from outside: by its ID and the last four digits of the mobile it was
registered with. The answer says what happened in plain steps, names offices by designation only,
and shows the citizen's own data masked."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models.channels import limits
from models.complaints import complaint_id
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.masking import mask_mobile
from models.complaints.service import get_by_public_id
from models.complaints.status import FINAL, ComplaintStatus
from models.people.officers import Officer

log = logging.getLogger(__name__)

TRIES_PER_ID, ID_WINDOW = 10, timedelta(hours=1)
# The history's actions as a citizen reads them; anything else (notes, alerts) is internal.
STEPS = {
    "register": "registered", "assign": "with_office", "start": "work_started",
    "escalate": "escalated", "refer_to_nodal": "rerouting", "return": "rerouting",
    "pause": "paused", "resume": "work_started", "resolve": "resolved", "reopen": "reopened",
    "close": "closed", "force_close": "closed", "special_close": "closed", "reject": "rejected",
}


class NotFound(LookupError):
    """No complaint has this ID with a mobile ending in these digits (one answer for both, so the
    page tells a stranger nothing)."""


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: str                 # a key of STEPS' values
    office_hi: str = ""       # the officer's designation, never the name
    office_en: str = ""


@dataclass(frozen=True)
class Tracked:
    public_id: str
    status: ComplaintStatus
    channel: str
    name_masked: str
    mobile_masked: str
    category_hi: str
    category_en: str
    department_hi: str
    department_en: str
    district_hi: str
    district_en: str
    due_at: datetime | None
    is_open: bool
    steps: list[Step]


def id_problem(text: str) -> str | None:
    """Why `text` is not a complaint ID (empty, not_digits, length, check_digit), or None."""
    cleaned = re.sub(r"[\s\-]", "", text or "")
    if not cleaned:
        return "empty"
    if not (cleaned.isascii() and cleaned.isdigit()):
        return "not_digits"
    if len(cleaned) != complaint_id.LENGTH:
        return "length"
    return None if complaint_id.verhoeff_ok(cleaned) else "check_digit"


def mask_name(name: str) -> str:
    """रमेश कुमार -> र••• कु•••: the first letter (with its vowel sign) of each word."""
    masked = []
    for word in (name or "").split():
        head = word[0] + "".join(ch for ch in word[1:2] if "\u093e" <= ch <= "\u094d")
        masked.append(head + "•••")
    return " ".join(masked)


def _steps(session: Session, complaint: Complaint) -> list[Step]:
    steps = []
    for event in complaint.history:
        kind = STEPS.get(event.action)
        if kind is None:
            continue
        officer = (session.get(Officer, event.officer_id)
                   if event.officer_id and kind in ("with_office", "escalated") else None)
        steps.append(Step(at=event.at, kind=kind,
                          office_hi=officer.designation_hi if officer else "",
                          office_en=officer.designation_en if officer else ""))
    return steps


def track(*, session: Session, id_text: str, last4: str, now: datetime | None = None) -> Tracked:
    """The complaint as its citizen may see it. Raises complaint_id.InvalidComplaintId (a mistyped
    ID, before any look-up), InvalidField (last4), limits.RateLimited (too many tries of this ID)
    or NotFound."""
    public_id = complaint_id.parse(id_text)
    digits = (last4 or "").strip()
    if not re.fullmatch(r"[0-9]{4}", digits):
        raise InvalidField("last4", "give the last 4 digits of the registered mobile number")
    limits.hit(session=session, key=f"track:id:{public_id}", limit=TRIES_PER_ID, window=ID_WINDOW,
               now=now)
    complaint = get_by_public_id(session=session, public_id=public_id)
    if complaint is None or complaint.status is ComplaintStatus.DRAFT \
            or not complaint.mobile.endswith(digits):
        raise NotFound(public_id)
    category, department, district = complaint.category, complaint.department, complaint.district
    return Tracked(
        public_id=complaint.public_id, status=complaint.status, channel=complaint.channel.value,
        name_masked=mask_name(complaint.citizen_name), mobile_masked=mask_mobile(complaint.mobile),
        category_hi=category.name_hi if category else "", category_en=category.name_en if category else "",
        department_hi=department.name_hi if department else "",
        department_en=department.name_en if department else "",
        district_hi=district.name_hi if district else "", district_en=district.name_en if district else "",
        due_at=complaint.due_at, is_open=complaint.status not in FINAL, steps=_steps(session, complaint))
