"""The supervisor's board: every agent's live queue state."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from agent_desk import db
from agent_desk.web.access import SUPERVISORS, roles_required
from models.people.users import Role, users_with_role

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")


def _agents() -> list[dict]:
    from agent_desk.web.presence import bridge

    b = bridge()
    return [{"username": u.username, "name": u.full_name, "interface": u.phone_interface,
             **(b.state_of(u.phone_interface) if u.phone_interface else {"state": "no_phone", "reason": ""})}
            for u in users_with_role(session=db.session(), role=Role.AGENT)]


@bp.get("/")
@roles_required(*SUPERVISORS)
def board():
    return render_template("supervisor/board.html", agents=_agents())


@bp.get("/agents.json")
@roles_required(*SUPERVISORS)
def agents_json():
    return jsonify(_agents())
