"""Every step an officer (or the helpline) takes on a complaint, by name: one entry point for the
desk's screens and for departments' systems on the API, so both obey the same rules.

Each step checks, in this order: who may (NotAllowed), whether the status allows it
(IllegalTransition), then the input (InvalidField naming the field).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models.complaints import jurisdiction, lifecycle, notes, requests, transfers
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField, clean_text
from models.complaints.jurisdiction import HELPLINE_ROLES, Actor, require
from models.complaints.status import OPEN, RUNNING, Action, ComplaintStatus, next_status
from models.complaints.transfers import required_text
from models.core.base import MAX_ROW_ID
from models.core.settings import Settings, get_settings
from models.people.users import Role


MAX_TEXT = 5000


@dataclass(frozen=True)
class Step:
    """What a step needs: the complaint, who acts, the request's fields and files, settings, time."""

    session: Session
    complaint: Complaint
    actor: Actor
    data: Mapping
    uploads: list
    settings: Settings
    at: datetime | None

    def text(self, name: str) -> str:
        """The field as text the helpline keeps (models/core/text.py), at most MAX_TEXT characters."""
        value = self.data.get(name)
        if value is not None and not isinstance(value, str):
            raise InvalidField(name, "must be text", code="invalid")
        return clean_text(value, field=name, max_length=MAX_TEXT, multiline=True)


def _holder(step: Step, what: str) -> None:
    require(jurisdiction.holds(step.actor, step.complaint), f"only the officer holding the complaint {what}")


def _start(step: Step):
    _holder(step, "starts work")
    return lifecycle.start_work(session=step.session, complaint=step.complaint, actor=step.actor.name,
                                channel=step.actor.channel, note=step.text("note"))


def _resolve(step: Step):
    _holder(step, "resolves it")
    next_status(step.complaint.status, Action.RESOLVE)
    return lifecycle.resolve(session=step.session, complaint=step.complaint, actor=step.actor.name,
                             channel=step.actor.channel,
                             resolution=step.text("resolution") or step.text("note"))


def _escalate(step: Step):
    """The L3 officer refers the complaint to the secretary (when L3 -> L4 is manual, or early)."""
    _holder(step, "refers it up")
    require(step.complaint.level == 3, "only an L3 officer refers a complaint to the secretary")
    return lifecycle.escalate(session=step.session, complaint=step.complaint, actor=step.actor.name,
                              channel=step.actor.channel, at=step.at,
                              note=step.text("note") or "referred by the L3 officer to L4")


def _note(step: Step):
    return notes.add_note(session=step.session, complaint=step.complaint, actor=step.actor,
                          note=step.text("note"), uploads=step.uploads, settings=step.settings, at=step.at)


def _interim(step: Step):
    return notes.interim_reply(session=step.session, complaint=step.complaint, actor=step.actor,
                               text=step.text("text") or step.text("note"), at=step.at)


def _return(step: Step):
    return transfers.refer_to_nodal(session=step.session, complaint=step.complaint, actor=step.actor,
                                    reason=step.text("reason") or step.text("note"), at=step.at)


def _reroute(step: Step):
    return transfers.reroute_within_department(
        session=step.session, complaint=step.complaint, actor=step.actor,
        category_code=step.text("category"), note=step.text("note"), at=step.at)


def _send_back(step: Step):
    return transfers.send_back_to_helpline(
        session=step.session, complaint=step.complaint, actor=step.actor,
        reason=step.text("reason") or step.text("note"), settings=step.settings, at=step.at)


def _transfer(step: Step):
    return transfers.transfer(session=step.session, complaint=step.complaint, actor=step.actor,
                              category_code=step.text("category"), note=step.text("note"),
                              settings=step.settings, at=step.at)


def _ask(kind: requests.RequestKind) -> Callable[[Step], object]:
    def ask(step: Step):
        return requests.ask(session=step.session, complaint=step.complaint, actor=step.actor, kind=kind,
                            note=step.text("note"), days=step.data.get("days"),
                            reason_code=step.text("reason_code"), settings=step.settings, at=step.at)
    return ask


def _decide(step: Step):
    raw = step.data.get("request_id")
    request = None
    if raw is not None and str(raw).isdecimal() and int(raw) <= MAX_ROW_ID:
        request = requests.get_request(session=step.session, request_id=int(raw))
    if request is None or request.complaint_id != step.complaint.id:
        raise InvalidField("request_id", "no such request on this complaint",
                           code="required" if raw in (None, "") else "unknown")
    decision = step.text("decision")
    if decision not in ("approve", "refuse"):
        raise InvalidField("decision", "approve or refuse", code="required" if not decision else "unknown")
    return requests.decide(session=step.session, request=request, actor=step.actor,
                           approve=decision == "approve", note=step.text("note"),
                           settings=step.settings, at=step.at)


def _resume(step: Step):
    return requests.resume(session=step.session, complaint=step.complaint, actor=step.actor, at=step.at)


def _force_close(step: Step):
    require(step.actor.role is Role.SECRETARY and jurisdiction.oversees(step.actor, step.complaint),
            "only the department's secretary force-closes")
    next_status(step.complaint.status, Action.FORCE_CLOSE)
    return lifecycle.force_close(session=step.session, complaint=step.complaint, actor=step.actor.name,
                                 channel=step.actor.channel, at=step.at,
                                 reason=required_text(step.text("reason") or step.text("note"), "reason"))


def _reopen(step: Step):
    require(step.actor.role in HELPLINE_ROLES, "only the helpline reopens, for the citizen")
    next_status(step.complaint.status, Action.REOPEN)
    return lifecycle.reopen(session=step.session, complaint=step.complaint, actor=step.actor.name,
                            channel=step.actor.channel, at=step.at,
                            reason=step.text("reason") or step.text("note"))


ACTIONS: dict[str, Callable[[Step], object]] = {
    "start": _start,
    "note": _note,
    "interim_reply": _interim,
    "resolve": _resolve,
    "return": _return,                       # not my department -> the nodal officer
    "reroute": _reroute,                     # the nodal officer, within the department
    "send_back": _send_back,                 # the nodal officer, back to the helpline
    "transfer": _transfer,                   # the helpline, to the right department
    "request_more_time": _ask(requests.RequestKind.MORE_TIME),
    "request_pause": _ask(requests.RequestKind.PAUSE),
    "propose_special_closure": _ask(requests.RequestKind.SPECIAL_CLOSURE),
    "decide": _decide,                       # approve or refuse one of the three requests
    "resume": _resume,
    "escalate": _escalate,
    "force_close": _force_close,
    "reopen": _reopen,
}


def perform(*, session: Session, complaint: Complaint, actor: Actor, action: str, data: Mapping | None = None,
            uploads: list | None = None, settings: Settings | None = None, at: datetime | None = None):
    """Take the step named `action` on `complaint` for `actor`; raises the step's domain errors."""
    handler = ACTIONS.get(action or "")
    if handler is None:
        raise InvalidField("action", f"one of {', '.join(ACTIONS)}", code="required" if not action else "unknown")
    if session.get_bind().dialect.name == "postgresql":
        # Read the row afresh and hold it: a step and the sweep (which skips held rows) never
        # both act on what they read before the other committed.
        session.refresh(complaint, with_for_update=True)
    return handler(Step(session=session, complaint=complaint, actor=actor, data=data or {},
                        uploads=list(uploads or []), settings=settings or get_settings(), at=at))


def available(*, complaint: Complaint, actor: Actor) -> list[str]:
    """The steps worth offering `actor` on the complaint's page (the rules still decide)."""
    status, offered = complaint.status, []
    if jurisdiction.holds(actor, complaint) and status in RUNNING:
        offered += ["start", "note", "interim_reply", "resolve", "return", "request_more_time",
                    "request_pause"]
        if (complaint.level or 1) <= 2:
            offered.append("propose_special_closure")
        if complaint.level == 3:
            offered.append("escalate")
    if status is ComplaintStatus.PAUSED and (jurisdiction.holds(actor, complaint)
                                             or jurisdiction.oversees(actor, complaint)):
        offered.append("resume")
    if status is ComplaintStatus.WITH_NODAL and jurisdiction.oversees(actor, complaint):
        offered += ["reroute", "send_back"]
    if jurisdiction.oversees(actor, complaint) and "note" not in offered and status in RUNNING:
        offered.append("note")
    if actor.role is Role.SECRETARY and jurisdiction.oversees(actor, complaint) and status in OPEN:
        offered.append("force_close")
    return offered
