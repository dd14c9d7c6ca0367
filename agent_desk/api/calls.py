"""GET /api/v1/calls/<uniqueid> and /api/v1/calls?caller=: the IVR journey of calls."""

from __future__ import annotations

from flask import jsonify, request

from agent_desk import db
from agent_desk.api import bp, error, require_token
from models.calls import service as calls


@bp.get("/calls/<uniqueid>")
@require_token()
def get_call(uniqueid: str):
    call = calls.get_by_uniqueid(session=db.session(), uniqueid=uniqueid)
    if call is None:
        return error(404, f"no call {uniqueid}")
    return jsonify(calls.journey(call))


@bp.get("/calls")
@require_token()
def list_calls():
    caller = (request.args.get("caller") or "").strip()
    if not caller:
        return error(400, "give ?caller=<number>", "caller")
    found = calls.calls_of_caller(session=db.session(), caller_number=caller)
    return jsonify({"caller": caller, "calls": [calls.journey(c) for c in found]})
