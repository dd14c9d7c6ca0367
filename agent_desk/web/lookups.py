"""Small JSON look-ups the registration form uses, and the caller's recording."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import AGENTS, READERS, roles_required
from agent_desk.web.agent import bp
from agent_desk.web.complaint_form import category_code
from agent_desk.web.context import pick, status_label
from agent_desk.web.messages import error_text
from agent_desk.web.screen_pop import draft_view
from models.calls import service as calls
from models.calls.recordings import conversation_file, recording_file
from models.complaints import service as complaints
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField, normalise_mobile
from models.complaints.jurisdiction import HELPLINE_ROLES, actor_for, may_see
from models.complaints.routing import NoOfficerConfigured, UnknownCategory, route
from models.complaints.similar import find_similar
from models.core.base import utcnow
from models.reference.calendar import to_local
from models.reference.departments import search_categories
from models.reference.places import blocks_of, find_block


@bp.get("/categories.json")
@roles_required(*AGENTS, *READERS)
def categories():
    """Categories whose code or Hindi/English name contains the typed text."""
    found = search_categories(session=db.session(), text=request.args.get("q", ""))
    return jsonify([{"code": c.code, "name_hi": c.name_hi, "name_en": c.name_en,
                     "department": c.department_code, "label": f"{c.code} — {pick(c)}"}
                    for c in found])


@bp.get("/blocks.json")
@roles_required(*AGENTS, *READERS)
def blocks():
    rows = blocks_of(session=db.session(), district_code=request.args.get("district", ""))
    return jsonify([{"code": b.code, "name": pick(b)} for b in rows])


@bp.get("/route.json")
@roles_required(*AGENTS)
def routing():
    """The routing suggestion: department, L1 officer and due date, before submit."""
    session = db.session()
    district = request.args.get("district", "").upper() or None
    code = category_code(request.args.get("category", ""))
    block_id = None
    if district and request.args.get("block"):
        block = find_block(session=session, district_code=district, name_or_code=request.args["block"])
        block_id = block.id if block else None
    if not code or not district:
        return jsonify({"ok": False, "reason": _("Choose category and district.")}), 400
    try:
        target = route(session=session, category_code=code, district_code=district,
                       block_id=block_id, start=utcnow())
    except UnknownCategory as exc:
        return jsonify({"ok": False, "code": exc.code, "reason": error_text(exc)}), 404
    except NoOfficerConfigured as exc:
        return jsonify({"ok": False, "code": exc.code, "reason": error_text(exc)}), 422
    return jsonify({"ok": True, "category": target.category.code, "department": pick(target.department),
                    "level": target.level, "officer": pick(target.officer),
                    "due": to_local(target.due_at).strftime("%d-%m-%Y %H:%M")})


@bp.get("/similar.json")
@roles_required(*AGENTS)
def similar():
    """Open complaints the one being typed may duplicate."""
    try:
        mobile = normalise_mobile(request.args.get("mobile", ""))
    except InvalidField:
        mobile = None
    draft = complaints.get_by_public_id(session=db.session(), public_id=request.args.get("draft", ""))
    found = find_similar(session=db.session(), mobile=mobile,
                         district_code=request.args.get("district", "").upper() or None,
                         category_code=category_code(request.args.get("category", "")),
                         description=request.args.get("description", ""),
                         exclude_id=draft.id if draft else None)
    return jsonify([{"id": s.complaint.public_id, "reason": s.reason, "score": round(s.score, 2),
                     "status": status_label(s.complaint.status), "description": s.complaint.description[:200]}
                    for s in found])


@bp.get("/drafts/<public_id>.json")
@roles_required(*AGENTS)
def draft_json(public_id: str):
    draft = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    return jsonify(draft_view(db.session(), draft))


def _readable(complaint: Complaint | None) -> Complaint:
    """The complaint, when the user may see it (a nodal officer or secretary: their department's); else 404."""
    if complaint is None or not may_see(actor_for(session=db.session(), user=current_user), complaint):
        abort(404)
    return complaint


@bp.get("/recordings/<public_id>")
@roles_required(*READERS)
def recording(public_id: str):
    complaint = _readable(complaints.get_by_public_id(session=db.session(), public_id=public_id))
    path = recording_file(session=db.session(), complaint=complaint,
                          recordings_dir=current_app.config["HELPLINE_SETTINGS"].recordings_dir) or abort(404)
    return send_file(path, mimetype="audio/wav", conditional=True)


@bp.get("/calls/<uniqueid>/conversation")
@roles_required(*READERS)
def conversation(uniqueid: str):
    """The call's caller-agent conversation (both sides), while the retention period keeps it."""
    call = calls.get_by_uniqueid(session=db.session(), uniqueid=uniqueid) or abort(404)
    if call.complaint_id is not None:
        _readable(db.session().get(Complaint, call.complaint_id))
    elif actor_for(session=db.session(), user=current_user).role not in HELPLINE_ROLES:
        abort(404)  # a call about no complaint is the call centre's
    path = conversation_file(uniqueid=call.uniqueid,
                             recordings_dir=current_app.config["HELPLINE_SETTINGS"].recordings_dir) or abort(404)
    return send_file(path, mimetype="audio/wav", conditional=True)
