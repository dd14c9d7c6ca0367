"""GET /api/v1/reports/<measure>: the dashboards' numbers for a department, a district or the state
over a date range (models/reports), for an `api` token (every scope) or an officer's token (their
department, and district at L2)."""

from __future__ import annotations

from flask import g, jsonify, request

from agent_desk import db
from agent_desk.api import bp, error, require_actor
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import NotAllowed
from models.core.base import utcnow
from models.reference.calendar import to_local
from models.reports import dashboard
from models.reports.access import allowed_scope
from models.reports.scope import check_places, parse_scope


NAMES = ("summary", *dashboard.MEASURES)


@require_actor
def report(name: str):
    session, now = db.session(), utcnow()
    try:
        scope = check_places(session=session,
                             scope=allowed_scope(g.actor, parse_scope(request.args, today=to_local(now).date())))
    except InvalidField as exc:
        return error(400, exc.message, exc.field, getattr(exc, "code", None))
    except NotAllowed as exc:
        return error(403, str(exc), code=NotAllowed.code)
    if name == "summary":
        return jsonify(dashboard.summary(session=session, scope=scope, now=now))
    return jsonify(dashboard.measure(session=session, scope=scope, name=name, now=now))


for _name in NAMES:  # one route per report, as the OpenAPI document lists them
    bp.add_url_rule(f"/reports/{_name}", f"report_{_name.replace('-', '_')}", report, defaults={"name": _name})


_LEVELS = {"type": "object", "properties": {level: {"type": "integer"} for level in ("L1", "L2", "L3", "L4")}}
_PARAMS = [
    {"name": "department", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "department code, e.g. REV (an officer's token: their own, filled in)"},
    {"name": "district", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "district code, e.g. RPR (an L2 officer's token: their own)"},
    {"name": "channel", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "one channel's slice, e.g. cm_jandarshan"},
    {"name": "from", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
     "description": "first day of registration (India time); default 30 days before `to`"},
    {"name": "to", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
     "description": "last day of registration, included; default today"},
]
_SCOPE = {"department": {"type": "string", "nullable": True}, "district": {"type": "string", "nullable": True},
          "channel": {"type": "string", "nullable": True}, "from": {"type": "string", "format": "date"},
          "to": {"type": "string", "format": "date"}}
_ERRORS = {
    "400": {"description": "a bad parameter, named in `field`",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    "401": {"description": "missing or invalid token",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    "403": {"description": "another department's or district's reports (`code` not_allowed)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
}
_GENERIC = {"description": "the scope, and the measure under its key (docs/reports.md)",
            "content": {"application/json": {"schema": {"type": "object", "properties": _SCOPE,
                                                         "additionalProperties": True}}}}
OPENAPI_PATHS = {
    f"/reports/{name}": {"get": {"summary": f"The {name} report (`summary`: every measure at once)",
                                 "parameters": _PARAMS, "responses": {"200": _GENERIC, **_ERRORS}}}
    for name in NAMES
}
OPENAPI_PATHS["/reports/resolution-levels"] = {"get": {
    "summary": "Complaints registered in the range and resolved by an officer, by the level that resolved them",
    "parameters": _PARAMS,
    "responses": {"200": {"description": "the counts", "content": {"application/json": {"schema": {
        "type": "object", "required": ["department", "resolved"],
        "properties": {**_SCOPE, "resolved": _LEVELS}}}}}, **_ERRORS}}}
