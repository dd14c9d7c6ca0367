"""GET /api/v1/wallboard: the live queue numbers, as the supervisors' wallboard shows them."""

from __future__ import annotations

from flask import jsonify

from agent_desk.api import bp, error, require_token
from agent_desk.web.supervisor import read_wallboard
from ivr.ami.client import AsteriskUnavailable


@bp.get("/wallboard")
@require_token()
def wallboard():
    """`{"queues": [{"queue", "waiting", "longest_wait_s", "in_ivr", "answered", "abandoned",
    "service_level", "agents": [{"name", "state", "paused_reason", "since"}, …]}], "asterisk": true}`;
    503 when Asterisk cannot be asked."""
    try:
        board = read_wallboard()
    except AsteriskUnavailable as exc:
        return error(503, f"Asterisk is not reachable: {exc}")
    return jsonify({"queues": [board.as_json()], "asterisk": True})
