"""The supervisor's board (every agent's live queue state) and the call-back list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import SUPERVISORS, roles_required
from agent_desk.web.messages import error_text
from models.calls import callbacks
from models.core.db import unit_of_work
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


@bp.get("/callbacks")
@roles_required(*SUPERVISORS)
def callbacks_list():
    """The callers waiting to be called back, in the order the worker calls them."""
    return render_template("supervisor/callbacks.html", entries=callbacks.waiting(session=db.session()))


@bp.post("/callbacks/<int:callback_id>")
@roles_required(*SUPERVISORS)
def change_callback(callback_id: int):
    """up, down or cancel one waiting entry."""
    what = request.form.get("action", "")
    if what not in {"up", "down", "cancel"}:
        abort(400)
    actor = f"user:{current_user.username}"
    try:
        with unit_of_work(db.session()) as uow:
            if what == "cancel":
                callbacks.cancel(session=uow.session, callback_id=callback_id, actor=actor)
            else:
                callbacks.move(session=uow.session, callback_id=callback_id, up=what == "up", actor=actor)
            uow.commit()
    except callbacks.CallbackNotWaiting as exc:
        flash(error_text(exc), "error")
    return redirect(url_for("supervisor.callbacks_list"))
