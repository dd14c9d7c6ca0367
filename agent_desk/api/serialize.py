"""How complaints look in JSON."""

from __future__ import annotations

from models.complaints.complaint import Complaint
from models.reference.calendar import to_local


def _ts(value):
    return value.isoformat() if value else None


def complaint_summary(c: Complaint) -> dict:
    return {
        "id": c.public_id,
        "channel": c.channel.value,
        "status": c.status.value,
        "level": f"L{c.level}" if c.level else None,
        "district": c.district_code,
        "block": c.block.code if c.block else None,
        "department": c.department_code,
        "category": c.category_code,
        "officer": ({"designation_en": c.officer.designation_en,
                     "designation_hi": c.officer.designation_hi} if c.officer else None),
        "citizen_name": c.citizen_name,
        "mobile": c.mobile,
        "description": c.description,
        "language": c.language,
        "created_at": _ts(c.created_at),
        "due_at": _ts(c.due_at),
        "due_at_local": to_local(c.due_at).strftime("%d-%m-%Y %H:%M") if c.due_at else None,
        "last_action_at": _ts(c.last_action_at),
        "resolved_level": f"L{c.resolved_level}" if c.resolved_level else None,
    }


def complaint_detail(c: Complaint) -> dict:
    body = complaint_summary(c)
    body.update({
        "address": c.address,
        "transcript": c.transcript,
        "recording": bool(c.recording_path),
        "callback_requested": c.callback_requested,
        "timestamps": {name: _ts(getattr(c, name)) for name in (
            "registered_at", "assigned_at", "in_progress_at", "escalated_at", "returned_at",
            "resolved_at", "reopened_at", "closed_at", "rejected_at")},
        "history": [{"at": _ts(e.at), "actor": e.actor, "channel": e.channel, "action": e.action,
                     "from_status": e.from_status, "to_status": e.to_status,
                     "level": f"L{e.level}" if e.level else None, "note": e.note}
                    for e in c.history],
    })
    return body
