"""Agent presence in the queue (log in, pause with a reason, unpause, log out) and the event
stream that carries screen pops and state changes to the agent's browser."""

from __future__ import annotations

import json
import logging
import queue
import threading

from flask import (
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import roles_required
from agent_desk.web.agent import bp
from agent_desk.web.ami_bridge import AmiBridge
from agent_desk.web.fanout import Fanout
from agent_desk.web.screen_pop import pop_for
from ivr.ami.client import AsteriskUnavailable
from models.calls.presence import PAUSE_REASONS
from models.people import users
from models.people.users import Role

log = logging.getLogger(__name__)
KEEPALIVE_S = 15.0
_lock = threading.Lock()


def bridge() -> AmiBridge:
    """This process's AMI bridge, started on first use."""
    ext = current_app.extensions
    with _lock:
        if "helpline_ami_bridge" not in ext:
            fanout = ext.setdefault("helpline_fanout", Fanout())
            database = db.database()

            def phone_users() -> dict[str, str]:
                with database.session() as s:
                    return users.phone_users(session=s)

            ext["helpline_ami_bridge"] = AmiBridge(current_app.config["HELPLINE_SETTINGS"],
                                                   phone_users, fanout).start()
    return ext["helpline_ami_bridge"]


def _interface() -> str | None:
    return current_user.phone_interface


@bp.get("/presence.json")
@roles_required(Role.AGENT)
def presence():
    b = bridge()
    state = b.state_of(_interface()) if _interface() else {"state": "no_phone", "reason": ""}
    return jsonify({**state, "asterisk": b.connected, "interface": _interface()})


@bp.post("/presence")
@roles_required(Role.AGENT)
def change_presence():
    """log_in, pause (with a reason code), unpause or log_out."""
    what, interface, b = request.form.get("action", ""), _interface(), bridge()
    if not interface:
        flash(_("Your account has no phone; ask the administrator."), "error")
        return redirect(url_for("agent.desk"))
    b.wait_connected(3.0)
    try:
        if what == "log_in":
            b.log_in(interface=interface, member_name=current_user.username)
        elif what == "pause":
            reason = request.form.get("reason", "")
            if reason not in PAUSE_REASONS:
                return jsonify({"error": "unknown pause reason"}), 400
            b.pause(interface=interface, reason=reason)
        elif what == "unpause":
            b.unpause(interface=interface)
        elif what == "log_out":
            b.log_out(interface=interface)
        else:
            return jsonify({"error": "unknown action"}), 400
    except AsteriskUnavailable as exc:
        log.warning("presence %s for %s failed: %s", what, current_user.username, exc)
        if request.accept_mimetypes.best == "application/json":
            return jsonify({"error": _("Asterisk is not reachable; try again.")}), 503
        flash(_("Asterisk is not reachable; try again."), "error")
        return redirect(url_for("agent.desk"))
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"ok": True, "action": what})
    return redirect(url_for("agent.desk"))


def log_out_quietly(user) -> None:
    """On desk logout, leave the queue too (when this process has a bridge)."""
    b = current_app.extensions.get("helpline_ami_bridge")
    if b is not None and user.phone_interface and b.connected:
        try:
            b.log_out(interface=user.phone_interface)
        except AsteriskUnavailable:
            pass


def _release_request_session() -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@bp.get("/events")
@roles_required(Role.AGENT)
def events():
    """text/event-stream: `pop` when Asterisk offers this agent a call, `state` on changes."""
    b = bridge()
    username = current_user.username
    _release_request_session()  # the stream stays open for hours; it must hold no transaction
    stream = b.fanout.subscribe(username)

    database = db.database()

    @stream_with_context
    def generate():
        try:
            yield "retry: 1000\n" + _sse("hello", {"user": username, "asterisk": b.connected})
            while True:
                try:
                    event = stream.get(timeout=KEEPALIVE_S)
                except queue.Empty:
                    yield ": keepalive\n\n"
                    continue
                if event["type"] == "pop":
                    with database.session() as s:
                        event = pop_for(s, draft_id=event["draft"], caller=event["caller"],
                                        event=event["event"])
                    yield _sse("pop", event)
                else:
                    yield _sse(event["type"], event)
        finally:
            b.fanout.unsubscribe(username, stream)

    return Response(generate(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
