"""What an agent sees of a call: the caller, earlier complaints, and what the IVR captured."""

from __future__ import annotations

from flask import url_for
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.drafts import call_of
from models.complaints.service import earlier_of_mobile, get_by_public_id
from models.reference.calendar import to_local


def earlier_complaints(session: Session, mobile: str, exclude_id: int | None = None,
                       limit: int = 10) -> list[dict]:
    """The caller's earlier complaints (not drafts), newest first."""
    rows = earlier_of_mobile(session=session, mobile=mobile, exclude_id=exclude_id, limit=limit)
    return [{"id": c.public_id, "status": c.status.value, "category": c.category_code,
             "description": c.description[:140],
             "created": to_local(c.created_at).strftime("%d-%m-%Y")} for c in rows]


def draft_view(session: Session, draft: Complaint) -> dict:
    """The screen pop's content for a draft (JSON-ready)."""
    call = call_of(session=session, complaint=draft)
    transcript = draft.transcript or (call.transcript if call else None)
    has_recording = bool(draft.recording_path or (call and call.recording_path))
    return {
        "draft": draft.public_id,
        "status": draft.status.value,
        "caller": (call.caller_number if call else "") or draft.mobile,
        "mobile": draft.mobile,
        "district": draft.district_code,
        "district_name": {"hi": draft.district.name_hi, "en": draft.district.name_en} if draft.district else None,
        "language": draft.language,
        "transcript": transcript,
        "recording_url": url_for("agent.recording", public_id=draft.public_id) if has_recording else None,
        "uniqueid": call.uniqueid if call else None,
        "earlier": earlier_complaints(session, draft.mobile, exclude_id=draft.id),
        "register_url": url_for("agent.register", draft=draft.public_id),
    }


def pop_for(session: Session, *, draft_id: str | None, caller: str, event: str) -> dict:
    """The pop pushed to the agent's browser when Asterisk offers or connects a call."""
    draft = get_by_public_id(session=session, public_id=draft_id) if draft_id else None
    if draft is not None:
        body = draft_view(session, draft)
    else:
        body = {"draft": None, "caller": caller, "earlier": earlier_complaints(session, caller[-10:]),
                "register_url": url_for("agent.register", mobile=caller[-10:])}
    body["event"] = event
    return body
