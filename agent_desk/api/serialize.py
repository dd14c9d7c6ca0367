"""How complaints look in JSON."""

from __future__ import annotations

from flask import g

from models.complaints.complaint import Complaint
from models.complaints.explanations import is_overdue
from models.complaints.masking import mobile_for
from models.complaints.timeline import Timeline
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
        "officer": _officer(c.officer),
        "citizen_name": c.citizen_name,
        "mobile": mobile_for(g.actor, c) if "actor" in g else c.mobile,  # an `api` token: the full number
        "description": c.description,
        "language": c.language,
        "created_at": _ts(c.created_at),
        "due_at": _ts(c.due_at),
        "due_at_local": to_local(c.due_at).strftime("%d-%m-%Y %H:%M") if c.due_at else None,
        "last_action_at": _ts(c.last_action_at),
        "resolved_level": f"L{c.resolved_level}" if c.resolved_level else None,
    }


def _officer(officer) -> dict | None:
    return ({"designation_en": officer.designation_en, "designation_hi": officer.designation_hi}
            if officer else None)


def _timeline(t: Timeline) -> dict:
    return {
        "explanations": [{"level": f"L{e.level}", "round": e.round, "officer": _officer(e.officer),
                          "status": e.status.value, "overdue": is_overdue(e),
                          "missed_due_at": _ts(e.missed_due_at), "requested_at": _ts(e.requested_at),
                          "due_at": _ts(e.due_at), "submitted_at": _ts(e.submitted_at), "text": e.text,
                          "reviewed_at": _ts(e.reviewed_at), "reviewer": e.reviewer,
                          "review_note": e.review_note} for e in t.explanations],
        "requests": [{"id": r.id, "kind": r.kind.value, "status": r.status.value,
                      "level": f"L{r.level}" if r.level else None, "days": r.days,
                      "reason_code": r.reason_code, "note": r.note, "requested_by": r.requested_by,
                      "requested_at": _ts(r.requested_at), "approver": _officer(r.approver),
                      "decided_by": r.decided_by, "decided_at": _ts(r.decided_at),
                      "decision_note": r.decision_note} for r in t.requests],
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type,
                         "size": a.size, "sha256": a.sha256, "uploaded_by": a.uploaded_by,
                         "created_at": _ts(a.created_at)} for a in t.attachments],
        "transfers": [{"from": x.from_department, "to": x.to_department, "at": _ts(x.at), "actor": x.actor}
                      for x in t.transfers],
        "calls": [{"uniqueid": call.uniqueid, "started_at": _ts(call.started_at), "agent": call.agent,
                   "disposition": call.disposition, "transcript": call.transcript} for call in t.calls],
        "alerts": [{"kind": a.kind.value, "officer": _officer(a.officer), "level": f"L{a.level}" if a.level else None,
                    "created_at": _ts(a.created_at), "note": a.note} for a in t.alerts],
    }


def complaint_detail(c: Complaint, t: Timeline | None = None) -> dict:
    """The complaint with its history, and with `t` its explanations, requests, attachments, transfers."""
    body = complaint_summary(c)
    body.update({
        "address": c.address,
        "transcript": c.transcript,
        "recording": bool(c.recording_path),
        "callback_requested": c.callback_requested,
        "closure_reason": c.closure_reason,
        "transfer_count": c.transfer_count,
        "reopen_count": c.reopen_count,
        "pause": ({"reason": c.pause_reason, "since": _ts(c.paused_at), "ends_at": _ts(c.pause_ends_at)}
                  if c.status.value == "paused" else None),
        "beyond_l4": c.level == 4 and c.overdue_flagged_at is not None,
        "timestamps": {name: _ts(getattr(c, name)) for name in (
            "registered_at", "assigned_at", "in_progress_at", "escalated_at", "returned_at",
            "resolved_at", "reopened_at", "closed_at", "rejected_at", "paused_at", "level_started_at")},
        "history": [{"at": _ts(e.at), "actor": e.actor, "channel": e.channel, "action": e.action,
                     "from_status": e.from_status, "to_status": e.to_status,
                     "level": f"L{e.level}" if e.level else None, "note": e.note}
                    for e in c.history],
    })
    if t is not None:
        body.update(_timeline(t))
    return body
