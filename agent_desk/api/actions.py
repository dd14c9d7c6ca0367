"""POST /api/v1/complaints/<id>/actions: a department's system acts for an officer (the token's),
with the same rules as the screens; GET .../attachments/<n>: a file, to those who see the complaint."""

from __future__ import annotations

import base64
import binascii

from flask import current_app, g, jsonify, request, send_file

from agent_desk import db
from agent_desk.api import bp, error, require_actor
from agent_desk.api.complaints import load_visible
from agent_desk.api.serialize import complaint_detail
from models.complaints.actions import perform
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import NotAllowed
from models.complaints.lifecycle import AlreadyAtTopLevel
from models.complaints.notes import Attachment, Upload, attachment_file
from models.complaints.requests import ComplaintRequest, NoApprover, RequestNotPending, RequestPending
from models.complaints.routing import NoOfficerConfigured
from models.complaints.status import IllegalTransition
from models.complaints.timeline import timeline
from models.complaints.transfers import NoNodalOfficer, TransferCapReached
from models.core.db import unit_of_work

TEXT_FIELDS = {"action", "note", "reason", "resolution", "text", "reason_code", "category", "decision"}
NUMBER_FIELDS = {"days", "request_id"}
REFUSED = (NotAllowed,)
CONFLICTS = (IllegalTransition, TransferCapReached, RequestPending, RequestNotPending, NoApprover,
             AlreadyAtTopLevel)
UNROUTABLE = (NoOfficerConfigured, NoNodalOfficer)


class BadBody(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _uploads(value) -> list[Upload]:
    if not isinstance(value, list):
        raise BadBody("a list of {filename, content_base64}", "attachments")
    uploads = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("content_base64"), str):
            raise BadBody("each attachment is {filename, content_base64}", "attachments")
        try:
            data = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise BadBody("content_base64 is not base64", "attachments") from None
        uploads.append(Upload(filename=str(item.get("filename") or "attachment"), data=data))
    return uploads


def _body() -> tuple[dict, list[Upload]]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadBody("send a JSON object")
    data, uploads = {}, []
    for name, value in body.items():
        if name == "attachments":
            uploads = _uploads(value)
        elif name in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                raise BadBody("must be a string", name)
            data[name] = value
        elif name in NUMBER_FIELDS:
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))):
                raise BadBody("must be a whole number", name)
            data[name] = None if value is None else str(value)
        else:
            raise BadBody(f"unknown field {name}", name)
    if not data.get("action"):
        raise BadBody("say which action", "action")
    return data, uploads


def _result(outcome) -> dict:
    if isinstance(outcome, ComplaintRequest):
        return {"request_id": outcome.id, "request_status": outcome.status.value}
    if isinstance(outcome, list) and all(isinstance(a, Attachment) for a in outcome):
        return {"attachment_ids": [a.id for a in outcome]}
    return {}


@bp.post("/complaints/<complaint_id>/actions")
@require_actor
def post_action(complaint_id: str):
    complaint, refused = load_visible(complaint_id)
    if refused:
        return refused
    try:
        data, uploads = _body()
    except BadBody as exc:
        return error(400, str(exc), exc.field)
    with unit_of_work(db.session()) as uow:
        try:
            outcome = perform(session=uow.session, complaint=complaint, actor=g.actor,
                              action=data["action"], data=data, uploads=uploads,
                              settings=current_app.config["HELPLINE_SETTINGS"])
        except REFUSED as exc:
            return error(403, str(exc), None, exc.code)
        except CONFLICTS as exc:
            return error(409, str(exc), None, exc.code)
        except InvalidField as exc:
            return error(400, exc.message, exc.field, exc.code)
        except UNROUTABLE as exc:
            return error(422, str(exc), "category", exc.code)
        uow.commit()
    body = complaint_detail(complaint, timeline(session=db.session(), complaint=complaint))
    body["result"] = _result(outcome)
    return jsonify(body)


@bp.get("/complaints/<complaint_id>/attachments/<int:attachment_id>")
@require_actor
def get_attachment(complaint_id: str, attachment_id: int):
    complaint, refused = load_visible(complaint_id)
    if refused:
        return refused
    found = attachment_file(session=db.session(), attachment_id=attachment_id, actor=g.actor,
                            settings=current_app.config["HELPLINE_SETTINGS"])
    if found is None or found[0].complaint_id != complaint.id:
        return error(404, f"no attachment {attachment_id} on complaint {complaint.public_id}")
    attachment, path = found
    return send_file(path, mimetype=attachment.content_type, download_name=attachment.filename)
