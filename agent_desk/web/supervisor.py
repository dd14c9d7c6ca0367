"""The supervisor's board: every agent's live queue state."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import select

from agent_desk import db
from agent_desk.web.access import roles_required
from models.people.users import Role, User

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")


def _agents() -> list[dict]:
    from agent_desk.web.presence import bridge

    b = bridge()
    users = db.session().scalars(select(User).where(User.role == Role.AGENT).order_by(User.username))
    return [{"username": u.username, "name": u.full_name, "interface": u.phone_interface,
             **(b.state_of(u.phone_interface) if u.phone_interface else {"state": "no_phone", "reason": ""})}
            for u in users]


@bp.get("/")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def board():
    return render_template("supervisor/board.html", agents=_agents())


@bp.get("/agents.json")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def agents_json():
    return jsonify(_agents())
