"""Complaint services: every channel registers, moves and reads complaints through these."""

from __future__ import annotations

import logging
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models.complaints import clock, id_allocation
from models.complaints.complaint import Channel, Complaint, ComplaintEvent
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.kept_routes import KeptRoutes, kept_routes
from models.complaints.routing import UnknownCategory, route
from models.complaints.status import OPEN, Action, ComplaintStatus, next_status
from models.core import rows
from models.core.base import utcnow
from models.notifications.outbox import OutboxMessage, complaint_sms, queue_registration_sms
from models.notifications.templates import SmsEvent

log = logging.getLogger(__name__)

# The timestamp column each status sets when a complaint enters it.
_STAMP = {
    ComplaintStatus.REGISTERED: "registered_at", ComplaintStatus.ASSIGNED: "assigned_at",
    ComplaintStatus.IN_PROGRESS: "in_progress_at", ComplaintStatus.ESCALATED: "escalated_at",
    ComplaintStatus.RETURNED: "returned_at", ComplaintStatus.RESOLVED: "resolved_at",
    ComplaintStatus.REOPENED: "reopened_at", ComplaintStatus.CLOSED: "closed_at",
    ComplaintStatus.REJECTED: "rejected_at", ComplaintStatus.FORCE_CLOSED: "closed_at",
    ComplaintStatus.WITH_NODAL: "returned_at", ComplaintStatus.PAUSED: "paused_at",
    ComplaintStatus.SPECIAL_CLOSED: "closed_at",
}


def history_row(complaint, *, actor: str, channel: str, action: str,
                from_status: ComplaintStatus | None, note: str = "", at: datetime) -> dict:
    """The columns of a history row about `complaint` as it is after the change (anything with its
    columns: the ORM object, or a row and its planned changes)."""
    return dict(complaint_id=complaint.id, at=at, actor=actor, channel=channel, action=action,
                from_status=from_status.value if from_status else None,
                to_status=complaint.status.value, level=complaint.level,
                officer_id=complaint.officer_id, note=note)


def add_history(session: Session, complaint: Complaint, row: dict) -> ComplaintEvent:
    """The history row `row` (history_row's columns) added to the session through `complaint`'s
    relationship: a new complaint has no ID before the flush, which sets it."""
    event = ComplaintEvent(complaint=complaint, **{k: v for k, v in row.items() if k != "complaint_id"})
    session.add(event)
    return event


def _record(*, session: Session, complaint: Complaint, actor: str, channel: str, action: str,
            from_status: ComplaintStatus | None, note: str = "", at: datetime) -> ComplaintEvent:
    return add_history(session, complaint, history_row(complaint, actor=actor, channel=channel, action=action,
                                                       from_status=from_status, note=note, at=at))


def record(*, session: Session, complaint: Complaint, actor: str, channel: str, action: str,
           note: str = "", at: datetime | None = None) -> ComplaintEvent:
    """A history row for an event that leaves the status as it is (a note, a request, a warning)."""
    event = _record(session=session, complaint=complaint, actor=actor, channel=channel,
                    action=action, from_status=complaint.status, note=note, at=at or utcnow())
    complaint.last_action_at = event.at
    session.flush()
    return event


def transition(*, session: Session, complaint: Complaint, action: Action, actor: str,
               channel: str, note: str = "", at: datetime | None = None, **changes) -> Complaint:
    """Apply `action` and `changes`, stamp the new state and write exactly one history row.

    An illegal action raises IllegalTransition before anything is changed.
    """
    at = at or utcnow()
    old_status = complaint.status
    _apply(session=session, complaint=complaint, action=action, actor=actor, channel=channel,
           note=note, at=at, changes=changes)
    session.flush()
    _tell_the_citizen(session, complaint, old_status)
    stale = [rel for fk, rel in _RELATIONS.items() if fk in changes]
    if stale:
        session.expire(complaint, stale)  # reload officer etc. after their keys changed
    return complaint


def changed(complaint, *, action: Action, at: datetime, changes: dict) -> dict:
    """The columns `action` with `changes` sets on `complaint` (anything with its columns): the
    changed fields, the clock, the new status and its stamp (IllegalTransition before any of it)."""
    new_status = next_status(complaint.status, action)
    columns = dict(changes)
    moves_level = "level" in changes or "officer_id" in changes
    if "due_at" in changes:  # a new holder or level gets a fresh time limit; else the due time moves
        due = columns.pop("due_at")
        columns.update(clock.started(at=at, due=due) if moves_level else clock.moved(complaint, due=due))
    columns["status"] = new_status
    columns[_STAMP[new_status]] = at
    columns["last_action_at"] = at
    return columns


def _step(complaint, *, action: Action, actor: str, channel: str, note: str, at: datetime,
          changes: dict) -> dict:
    """Apply `action` and `changes` to `complaint` (the ORM object, or a plain one with its
    columns) and return the history row of the step (IllegalTransition before anything changes)."""
    old_status = complaint.status
    for name, value in changed(complaint, action=action, at=at, changes=changes).items():
        setattr(complaint, name, value)
    return history_row(complaint, actor=actor, channel=channel, action=action.value,
                       from_status=old_status, note=note, at=at)


def _apply(*, session: Session, complaint: Complaint, action: Action, actor: str, channel: str,
           note: str, at: datetime, changes: dict) -> None:
    """The state change itself, written to the session but not flushed: the new status, its stamp,
    the changed fields, the clock and the one history row (IllegalTransition before any of it)."""
    add_history(session, complaint, _step(complaint, action=action, actor=actor, channel=channel,
                                          note=note, at=at, changes=changes))


# The citizen's SMS for each status a complaint reaches, in the transaction of the change (the
# registration's own SMS is queued by whoever registers: the desk, the portal, Jandarshan).
_SMS_ON = {ComplaintStatus.ESCALATED: "escalated", ComplaintStatus.RESOLVED: "resolved",
           ComplaintStatus.REOPENED: "reopened", ComplaintStatus.CLOSED: "closed",
           ComplaintStatus.SPECIAL_CLOSED: "closed", ComplaintStatus.FORCE_CLOSED: "closed"}
# A complaint routed again (sent back, reopened, re-routed by the nodal officer) goes to a new office.
_REASSIGNED_FROM = {ComplaintStatus.RETURNED, ComplaintStatus.REOPENED, ComplaintStatus.WITH_NODAL}


def sms_event(complaint, old_status: ComplaintStatus) -> str | None:
    """The citizen's SMS `complaint` (anything with its columns, as it is after the change) calls
    for, having been `old_status`; None when none."""
    event = _SMS_ON.get(complaint.status)
    if complaint.status is ComplaintStatus.ASSIGNED and old_status in _REASSIGNED_FROM:
        event = "assigned"
    if event is None or not complaint.mobile or complaint.status is old_status and event != "escalated":
        return None
    return event


def _tell_the_citizen(session: Session, complaint: Complaint, old_status: ComplaintStatus) -> None:
    event = sms_event(complaint, old_status)
    if event is None:
        return
    from models.notifications.outbox import queue_complaint_sms

    queue_complaint_sms(session=session, complaint=complaint, event=event)


_RELATIONS = {"officer_id": "officer", "category_code": "category", "department_code": "department",
              "district_code": "district", "block_id": "block"}


def _place(session: Session, data: ComplaintInput, routes: KeptRoutes) -> tuple[str | None, int | None]:
    if data.district_code is None:
        return None, None
    block = routes.block(session, data.district_code, data.block) if data.block else None
    if block is None and not routes.has_district(session, data.district_code):  # a block names its district
        raise InvalidField("district_code", f"unknown district {data.district_code!r}", code="unknown")
    if data.block and block is None:
        raise InvalidField("block", f"no block {data.block!r} in district {data.district_code}",
                           code="unknown")
    return data.district_code, block.id if block else None


def register(*, session: Session, data: ComplaintInput, actor: str,
             at: datetime | None = None, draft: Complaint | None = None, sms: bool = False) -> Complaint:
    """Register a complaint (or complete a draft) and assign it to the L1 officer; with `sms`, queue
    the citizen's "registered" SMS in the same transaction.

    Raises InvalidField naming the bad field, or NoOfficerConfigured when routing finds nobody.
    """
    data = data.cleaned()
    at = at or utcnow()
    routes = kept_routes(session)  # the reference rows, as of the master data's version now
    district_code, block_id = _place(session, data, routes)
    if data.category_code is None:
        raise InvalidField("category_code", "a category is required to route the complaint",
                           code="required")
    if district_code is None:
        raise InvalidField("district_code", "a district is required to route the complaint",
                           code="required")
    try:
        target = route(session=session, category_code=data.category_code,
                       district_code=district_code, block_id=block_id, start=at, routes=routes)
    except UnknownCategory:
        raise InvalidField("category_code", f"unknown category {data.category_code!r}",
                           code="unknown") from None
    fields = dict(
        citizen_name=data.citizen_name, mobile=data.mobile, district_code=district_code,
        block_id=block_id, address=data.address, description=data.description,
        category_code=target.category.code, department_code=target.department.code,
        language=data.language, hearing_id=data.hearing_id)
    channel = Channel(data.channel).value
    assignment = dict(level=target.level, officer_id=target.officer.id, due_at=target.due_at)
    assigned = f"routed to {target.officer.designation_en} (L{target.level})"
    if draft is not None:
        transition(session=session, complaint=draft, action=Action.REGISTER, actor=actor,
                   channel=channel, at=at, **fields)
        transition(session=session, complaint=draft, action=Action.ASSIGN, actor=actor,
                   channel="system", at=at, note=assigned, **assignment)
        if sms:
            queue_registration_sms(session=session, complaint=draft)
        return draft
    # A new complaint is planned as plain columns and written by Core, not the unit of work (most
    # of a registration's CPU): the complaint in its assigned state, both history rows and the SMS
    # in one statement on PostgreSQL; then they are in the session as if loaded.
    complaint = SimpleNamespace(id=None, channel=Channel(data.channel), status=ComplaintStatus.DRAFT,
                                created_at=at, level=None, officer_id=None, **fields)
    history = [_step(complaint, action=Action.REGISTER, actor=actor, channel=channel, note="", at=at,
                     changes={}),
               _step(complaint, action=Action.ASSIGN, actor=actor, channel="system", note=assigned, at=at,
                     changes=assignment)]
    # The ID last: its year's counter row stays locked until commit (writers queue on it), so
    # what follows it is one statement and the commit.
    complaint.public_id = id_allocation.allocate(session=session, at=at)
    children = [(ComplaintEvent, history)]
    if sms:
        children.append((OutboxMessage, [complaint_sms(complaint, SmsEvent.REGISTERED)]))
    complaint, (events, *_) = rows.insert_loaded_together(session, Complaint, vars(complaint), children,
                                                          key="complaint_id")
    set_committed_value(complaint, "history", events)
    return complaint


def create_draft(*, session: Session, call=None, mobile: str, district_code: str | None = None,
                 recording_path: str | None = None, language: str = "hi",
                 channel: Channel = Channel.PHONE, description: str = "",
                 actor: str = "ivr", at: datetime | None = None) -> Complaint:
    """A draft complaint awaiting agent completion; it has its public ID from the start."""
    at = at or utcnow()
    complaint = Complaint(
        public_id=id_allocation.allocate(session=session, at=at), channel=channel,
        status=ComplaintStatus.DRAFT, mobile=mobile or "", district_code=district_code,
        recording_path=recording_path, language=language, description=description,
        created_at=at, last_action_at=at)
    session.add(complaint)
    _record(session=session, complaint=complaint, actor=actor, channel=channel.value,
            action="draft", from_status=None, at=at, note="captured, awaiting agent completion")
    session.flush()
    if call is not None:
        call.complaint_id = complaint.id
    return complaint


def request_callback(*, session: Session, complaint: Complaint, actor: str = "ivr") -> None:
    """Record the caller's wish to be called back."""
    complaint.callback_requested = True
    _record(session=session, complaint=complaint, actor=actor, channel="phone",
            action="callback_requested", from_status=complaint.status, at=utcnow())
    session.flush()


def set_transcript(*, session: Session, complaint: Complaint, text: str, confidence: float | None,
                   actor: str = "speech") -> None:
    """Attach the speech-to-text transcript of the caller's recording."""
    complaint.transcript = text
    complaint.transcript_confidence = confidence
    _record(session=session, complaint=complaint, actor=actor, channel="phone",
            action="transcribed", from_status=complaint.status, at=utcnow(),
            note=f"confidence {confidence:.2f}" if confidence is not None else "")
    session.flush()


def get_by_public_id(*, session: Session, public_id: str) -> Complaint | None:
    return session.scalars(select(Complaint).where(Complaint.public_id == public_id)).first()


def get_or_raise(*, session: Session, public_id: str) -> Complaint:
    complaint = get_by_public_id(session=session, public_id=public_id)
    if complaint is None:
        raise ComplaintNotFound(public_id)
    return complaint


class ComplaintNotFound(LookupError):
    """No complaint has this ID."""


def open_for_mobile(*, session: Session, mobile: str) -> list[Complaint]:
    """The caller's complaints that are still open, newest first."""
    return list(session.scalars(
        select(Complaint).where(Complaint.mobile == mobile, Complaint.status.in_(OPEN))
        .order_by(Complaint.created_at.desc())))


def open_for_officer(*, session: Session, officer_id: int, limit: int = 200) -> list[Complaint]:
    """The open complaints assigned to the officer, the earliest due first."""
    return list(session.scalars(
        select(Complaint).where(Complaint.officer_id == officer_id, Complaint.status.in_(OPEN))
        .order_by(Complaint.due_at).limit(limit)))


def earlier_of_mobile(*, session: Session, mobile: str, exclude_id: int | None = None,
                      limit: int = 10) -> list[Complaint]:
    """The caller's complaints (not drafts, not `exclude_id`), newest first."""
    if not mobile:
        return []
    return list(session.scalars(
        select(Complaint).where(Complaint.mobile == mobile, Complaint.status != ComplaintStatus.DRAFT,
                                Complaint.id != (exclude_id or 0))
        .order_by(Complaint.created_at.desc()).limit(limit)))


def search(*, session: Session, status: str | None = None, district: str | None = None,
           department: str | None = None, level: int | None = None, channel: str | None = None,
           mobile: str | None = None, text: str | None = None, page: int = 1,
           per_page: int = 50, actor=None) -> tuple[list[Complaint], int]:
    """A page of complaints matching every given filter (and within `actor`'s jurisdiction when
    given), newest first, and the total count."""
    from models.complaints.jurisdiction import scope

    query = select(Complaint)
    if actor is not None:
        query = query.where(scope(actor))
    if status:
        query = query.where(Complaint.status == ComplaintStatus(status))
    if district:
        query = query.where(Complaint.district_code == district.upper())
    if department:
        query = query.where(Complaint.department_code == department.upper())
    if level:
        query = query.where(Complaint.level == int(level))
    if channel:
        query = query.where(Complaint.channel == Channel(channel))
    if mobile:
        query = query.where(Complaint.mobile == mobile)
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(Complaint.description.like(pattern),
                                Complaint.citizen_name.like(pattern),
                                Complaint.transcript.like(pattern)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Complaint.created_at.desc(), Complaint.id.desc())
                           .limit(per_page).offset((page - 1) * per_page))
    return list(rows), total

