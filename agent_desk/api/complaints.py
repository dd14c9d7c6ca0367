"""GET/POST /api/v1/complaints and GET /api/v1/complaints/<id> (an officer's token: within their
jurisdiction)."""

from __future__ import annotations

from flask import g, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError

from agent_desk import db
from agent_desk.api import bp, error, require_actor, require_token
from agent_desk.api.serialize import complaint_detail, complaint_summary
from models.channels import citizen, registration_keys
from models.complaints import service as complaints
from models.complaints.complaint_id import InvalidComplaintId, parse
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.jurisdiction import may_see
from models.complaints.routing import NoOfficerConfigured
from models.complaints.timeline import timeline
from models.core.db import unit_of_work
from models.people.tokens import token_row

MAX_PER_PAGE = 200


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidField(name, f"must be a whole number from {low} to {high}", code="invalid")
    return int(raw)


@bp.get("/complaints")
@require_actor
def list_complaints():
    try:
        page = _int_arg("page", 1, 1, 1_000_000)
        per_page = _int_arg("per_page", 50, 1, MAX_PER_PAGE)
        level = request.args.get("level", "").upper().removeprefix("L") or None
        if level and level not in "1234":
            raise InvalidField("level", "must be L1, L2, L3 or L4", code="invalid")
        filters = {k: request.args.get(k) for k in ("status", "district", "department",
                                                    "channel", "mobile", "q")}
        rows, total = complaints.search(
            session=db.session(), status=filters["status"], district=filters["district"],
            department=filters["department"], level=int(level) if level else None,
            channel=filters["channel"], mobile=filters["mobile"], text=filters["q"],
            page=page, per_page=per_page, actor=g.actor)
    except InvalidField as exc:
        return error(400, exc.message, exc.field, exc.code)
    except ValueError as exc:  # an unknown status or channel value
        return error(400, str(exc))
    return jsonify({"page": page, "per_page": per_page, "total": total,
                    "complaints": [complaint_summary(c) for c in rows]})


def load_visible(complaint_id: str):
    """(complaint, None) when `g.actor` may see it, else (None, the error response)."""
    try:
        public_id = parse(complaint_id)
    except InvalidComplaintId as exc:
        return None, error(400, str(exc), "id", exc.code)
    complaint = complaints.get_by_public_id(session=db.session(), public_id=public_id)
    if complaint is None:
        return None, error(404, f"no complaint {public_id}")
    if not may_see(g.actor, complaint):
        return None, error(403, f"complaint {public_id} is outside this officer's jurisdiction",
                           code="not_allowed")
    return complaint, None


@bp.get("/complaints/<complaint_id>")
@require_actor
def get_complaint(complaint_id: str):
    complaint, refused = load_visible(complaint_id)
    if refused:
        return refused
    return jsonify(complaint_detail(complaint, timeline(session=db.session(), complaint=complaint)))


@bp.post("/complaints")
@require_token()
def post_complaint():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "send a JSON object")
    allowed = {"mobile", "description", "channel", "citizen_name", "district", "block",
               "address", "category", "language"}
    unknown = sorted(set(body) - allowed)
    if unknown:
        return error(400, f"unknown field {unknown[0]}", unknown[0])
    for name, value in body.items():
        if value is not None and not isinstance(value, str):
            return error(400, "must be a string", name)
    data = ComplaintInput(
        mobile=body.get("mobile") or "", description=body.get("description") or "",
        channel=body.get("channel") or "portal", citizen_name=body.get("citizen_name") or "",
        district_code=body.get("district"), block=body.get("block"),
        address=body.get("address") or "", category_code=body.get("category"),
        language=body.get("language") or "hi")
    key = request.headers.get(registration_keys.FIELD)
    with unit_of_work(db.session()) as uow:
        try:
            client = token_row(session=uow.session, token=request.headers["Authorization"][7:].strip())
            earlier = key is not None and registration_keys.registered_with(
                session=uow.session, token_id=client.id, key=registration_keys.checked(key))
            if earlier:
                return _registered(earlier)  # the same request again: its answer had been lost
            # Like every other channel's: the history and the citizen's SMS in one transaction.
            complaint = citizen.lodge(session=uow.session, data=data, actor="api")
            if key is not None:
                registration_keys.remember(session=uow.session, token_id=client.id, key=key, complaint=complaint)
            uow.commit()
        except InvalidField as exc:
            return error(400, exc.message, _api_field(exc.field), exc.code)
        except NoOfficerConfigured as exc:
            return error(422, str(exc), "district", exc.code)
        except IntegrityError:  # the same key, in a request that was registered meanwhile
            uow.rollback()
            return _registered(registration_keys.registered_with(session=uow.session, token_id=client.id, key=key))
    return _registered(complaint)


def _registered(complaint):
    response = jsonify(complaint_detail(complaint))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_complaint", complaint_id=complaint.public_id)
    return response


def _api_field(name: str) -> str:
    return {"district_code": "district", "category_code": "category"}.get(name, name)
