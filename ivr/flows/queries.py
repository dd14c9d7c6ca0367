"""The domain work the call flows need, as plain data (each runs in a DatabaseThreads worker)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models.calls import callbacks, feedback, journal
from models.complaints import service as complaints
from models.core.base import utcnow
from models.reference import places

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DistrictEntry:
    keypad: int
    code: str
    division: str
    name_hi: str
    name_en: str


@dataclass(frozen=True)
class ComplaintStatusInfo:
    public_id: str
    status: str
    level: int | None
    designation_hi: str | None
    designation_en: str | None
    last_action_at: datetime | None


def districts(session: Session) -> list[DistrictEntry]:
    return [DistrictEntry(i, d.code, d.division, d.name_hi, d.name_en)
            for i, d in enumerate(places.districts_in_keypad_order(session=session), start=1)]


def create_draft(session: Session, *, uniqueid: str, mobile: str, channel: str | None,
                 district_code: str | None, recording_path: str | None, language: str) -> str:
    """The new draft's public ID; the draft is linked to the call record (opened if need be).
    `mobile` is the caller's number as filed (10 digits, or "" when unknown): the flows normalise it."""
    # The call's row in Core statements (no ORM load of it: 500 drafts a second hold the GIL less).
    call_id = journal.start_calls(session=session, starts=[journal.CallStart(
        uniqueid, mobile, channel, language, utcnow())])[uniqueid]
    draft = complaints.create_draft(session=session, mobile=mobile, district_code=district_code,
                                    recording_path=recording_path, language=language)
    journal.attach_draft(session=session, call_id=call_id, complaint_id=draft.id, language=language,
                         recording_path=recording_path)
    return draft.public_id


def request_callback(session: Session, *, public_id: str) -> bool:
    """Put the caller on the call-back list (models/calls/callbacks.py)."""
    complaint = complaints.get_by_public_id(session=session, public_id=public_id)
    if complaint is None:
        return False
    callbacks.request(session=session, complaint=complaint)
    return True


def record_callback(session: Session, *, callback_id: int, answered: bool, uniqueid: str | None,
                    detail: str = "") -> str | None:
    """The call-back was answered (the citizen goes to the queue) or not; its status after."""
    callback = callbacks.record_result(session=session, callback_id=callback_id, answered=answered,
                                       call_uniqueid=uniqueid, detail=detail)
    return callback.status.value if callback else None


def status_of(session: Session, *, public_id: str) -> ComplaintStatusInfo | None:
    c = complaints.get_by_public_id(session=session, public_id=public_id)
    if c is None:
        return None
    return ComplaintStatusInfo(
        public_id=c.public_id, status=c.status.value, level=c.level,
        designation_hi=c.officer.designation_hi if c.officer else None,
        designation_en=c.officer.designation_en if c.officer else None,
        last_action_at=c.last_action_at)


def open_complaint_ids(session: Session, *, mobile: str) -> list[str]:
    """The open complaints of the caller's 10-digit number."""
    return [c.public_id for c in complaints.open_for_mobile(session=session, mobile=mobile)]


@dataclass(frozen=True)
class FeedbackSubject:
    public_id: str
    resolution: str
    language: str


def feedback_subject(session: Session, *, attempt_id: int) -> FeedbackSubject | None:
    """What a satisfaction call is about: the complaint and the action taken."""
    attempt = feedback.get_attempt(session=session, attempt_id=attempt_id)
    if attempt is None:
        return None
    complaint = attempt.complaint
    return FeedbackSubject(public_id=complaint.public_id, resolution=complaint.resolution or "",
                           language=complaint.language)


def record_feedback(session: Session, *, attempt_id: int, result: str, uniqueid: str | None,
                    detail: str = "") -> str | None:
    """File the citizen's answer (or that none came); the complaint's status after it."""
    attempt = feedback.get_attempt(session=session, attempt_id=attempt_id)
    if attempt is None:
        log.warning("feedback result %s for unknown try %s", result, attempt_id)
        return None
    complaint = feedback.record_result(session=session, attempt=attempt, result=result,
                                       call_uniqueid=uniqueid, detail=detail)
    return complaint.status.value
