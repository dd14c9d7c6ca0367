"""The supervisor's screens: every agent's live queue state, the wallboard, the call-back list."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, date, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import SUPERVISORS, roles_required
from agent_desk.web.messages import error_text
from ivr.ami import queue, wallboard
from ivr.ami.client import AsteriskUnavailable
from models.calls import callbacks, queue_history
from models.calls.presence import PAUSE_REASONS
from models.core.base import utcnow
from models.core.db import unit_of_work
from models.people import audit
from models.people.users import Role, find_user, users_with_role
from models.reference.calendar import to_local
from models.reports import export

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")
WALLBOARD_CACHE_S = 1.0
WARN_WAIT_S = 60  # a caller waiting longer turns the board's number red


def _agents() -> list[dict]:
    from agent_desk.web.presence import bridge

    b = bridge()
    return [{"username": u.username, "name": u.full_name, "interface": u.phone_interface,
             **(b.state_of(u.phone_interface) if u.phone_interface else {"state": "no_phone", "reason": ""})}
            for u in users_with_role(session=db.session(), role=Role.AGENT)]


def read_wallboard() -> wallboard.QueueBoard:
    """The queue's live numbers from Asterisk (two actions on the desk's AMI connection), cached
    for a second so that many screens cost Asterisk the same as one."""
    from agent_desk.web.presence import bridge

    cache = current_app.extensions.setdefault("helpline_wallboard", {})
    if cache.get("at", -1.0) > time.monotonic() - WALLBOARD_CACHE_S:
        return cache["board"]
    b = bridge()
    b.wait_connected(3.0)
    status, channels = (b.action(a) for a in wallboard.actions())
    board = wallboard.read_board(status, channels)
    handle = _handle_times()
    for i, agent in enumerate(board.agents):
        call = b.call_of(agent.interface) if agent.state in ("on_call", "ringing") else None
        since = agent.since
        if call and agent.state == "on_call":
            since = datetime.fromtimestamp(call["since"], UTC).isoformat()
        board.agents[i] = dataclasses.replace(
            agent, since=since, caller=call["caller"] if call else None,
            draft=call["draft"] if call else None, average_handle_s=handle.get(agent.name))
    cache.update(board=board, at=time.monotonic())
    return cache["board"]


def _handle_times() -> dict[str, int]:
    """Each agent's average handle time today (India time), from the call history; a minute's cache."""
    cache = current_app.extensions.setdefault("helpline_handle_times", {})
    if cache.get("at", -1.0) > time.monotonic() - 60:
        return cache["times"]
    report = queue_history.day_report(session=db.session(), day=to_local(utcnow()).date())
    cache.update(times={a.agent: round(a.talk_s / a.handled) for a in report.agents if a.handled},
                 at=time.monotonic())
    return cache["times"]


@bp.get("/wallboard")
@roles_required(*SUPERVISORS)
def wallboard_page():
    """The wallboard: refreshed in place every two seconds; `?tv=1` for a television."""
    labels = {"available": _("available"), "ringing": _("ringing"), "on_call": _("on a call"),
              "paused": _("paused"), "unavailable": _("unavailable")}
    return render_template("supervisor/wallboard.html", tv=request.args.get("tv") == "1",
                           warn_wait_s=WARN_WAIT_S, state_labels=labels)


@bp.get("/wallboard.json")
@roles_required(*SUPERVISORS)
def wallboard_json():
    try:
        return jsonify({"queues": [read_wallboard().as_json()], "asterisk": True})
    except AsteriskUnavailable:
        return jsonify({"queues": [], "asterisk": False}), 503


@bp.get("/")
@roles_required(*SUPERVISORS)
def board():
    return render_template("supervisor/board.html", agents=_agents(), pause_reasons=PAUSE_REASONS,
                           spy_modes=list(queue.SPY_OPTIONS))


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


def _agent_phone(username: str) -> str:
    user = find_user(session=db.session(), username=username)
    if user is None or user.role is not Role.AGENT or not user.phone_interface:
        abort(404)
    return user.phone_interface


@bp.post("/agents/<username>/spy")
@roles_required(*SUPERVISORS)
def spy(username: str):
    """Listen to, whisper to (coach) or barge into an agent's call: the supervisor's own phone rings
    and, once answered, joins the call through ChanSpy. Recorded in the audit trail."""
    mode = request.form.get("mode", "")
    if mode not in queue.SPY_OPTIONS:
        abort(400)
    agent_phone = _agent_phone(username)
    if not current_user.phone_interface:
        flash(_("Your account has no phone; ask the administrator."), "error")
        return redirect(url_for("supervisor.board"))
    from agent_desk.web.presence import bridge

    try:
        bridge().action(queue.spy(supervisor_phone=current_user.phone_interface,
                                  agent_phone=agent_phone, mode=mode))
    except AsteriskUnavailable:
        flash(_("Asterisk is not reachable; try again."), "error")
        return redirect(url_for("supervisor.board"))
    with unit_of_work(db.session()) as uow:
        audit.record(session=uow.session, action=f"supervisor_{mode}", subject=f"agent:{username}",
                     note=f"{current_user.phone_interface} on {agent_phone}")
        uow.commit()
    flash(_("Your phone rings; answer it to join the call."), "ok")
    return redirect(url_for("supervisor.board"))


@bp.post("/agents/<username>/presence")
@roles_required(*SUPERVISORS)
def agent_presence(username: str):
    """Pause (with a reason), resume or log out an agent; recorded in the audit trail."""
    what, reason = request.form.get("action", ""), request.form.get("reason", "")
    if what not in {"pause", "unpause", "log_out"} or (what == "pause" and reason not in PAUSE_REASONS):
        abort(400)
    interface = _agent_phone(username)
    from agent_desk.web.presence import bridge

    b = bridge()
    try:
        if what == "pause":
            b.pause(interface=interface, reason=reason)
        elif what == "unpause":
            b.unpause(interface=interface)
        else:
            b.log_out(interface=interface)
    except AsteriskUnavailable:
        flash(_("Asterisk is not reachable; try again."), "error")
        return redirect(url_for("supervisor.board"))
    with unit_of_work(db.session()) as uow:
        audit.record(session=uow.session, action=f"supervisor_{what}", subject=f"agent:{username}",
                     note=reason)
        uow.commit()
    return redirect(url_for("supervisor.board"))


HISTORY_HEADERS = ("hour", "offered", "answered", "abandoned", "average_abandon_s", "timed_out",
                   "service_level", "average_wait_s")


@bp.get("/history")
@roles_required(*SUPERVISORS)
def history():
    """A day of the call centre, hour by hour and agent by agent (India time), from Asterisk's
    queue_log; `?format=csv|xlsx` downloads the hours."""
    try:
        day = date.fromisoformat(request.args.get("day") or to_local(utcnow()).date().isoformat())
    except ValueError:
        abort(400)
    settings = current_app.config["HELPLINE_SETTINGS"]
    report = queue_history.day_report(session=db.session(), day=day, service_level_s=settings.service_level_s)
    kind = request.args.get("format")
    if kind in export.CONTENT_TYPES:
        rows = [[h.hour, h.offered, h.answered, h.abandoned, h.average_abandon_s, h.timed_out,
                 h.service_level, h.average_wait_s] for h in report.hours if h.offered]
        body = export.export(kind, HISTORY_HEADERS, rows, title=f"calls {day}")
        return Response(body, mimetype=export.CONTENT_TYPES[kind], headers={
            "Content-Disposition": f'attachment; filename="calls-{day}.{kind}"'})
    return render_template("supervisor/history.html", report=report, day=day,
                           pause_reasons=PAUSE_REASONS)
