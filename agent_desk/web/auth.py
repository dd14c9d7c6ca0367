"""/login and /logout; after login each role lands on its own screen."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from agent_desk import db
from agent_desk.web.access import DeskUser
from models.core.db import unit_of_work
from models.people.audit import record, record_login
from models.people.lockout import address_blocked, locked_out
from models.people.users import Role, authenticate

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)
SEEN = "seen"  # the session's last request (epoch seconds), for the idle time-out

LANDING = {
    Role.AGENT: "agent.desk", Role.SUPERVISOR: "supervisor.board", Role.OFFICER: "officer.inbox",
    Role.NODAL_OFFICER: "officer.inbox", Role.SECRETARY: "officer.inbox",
    Role.JANDARSHAN_OPERATOR: "jandarshan.hearings", Role.ADMIN: "admin.users",
    Role.GOOD_GOVERNANCE: "reports.dashboard",
}


def home():
    """The start page: the role's own screen, or the login form."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(LANDING[current_user.role]))


def _safe_next(target: str | None) -> str | None:
    return target if target and target.startswith("/") and not target.startswith("//") else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    refused = _locked_out(request.form.get("username", "").strip()) if request.method == "POST" else None
    if refused:
        minutes = current_app.config["HELPLINE_SETTINGS"].login_lockout_minutes
        return render_template("auth/login.html", error=_(
            "Too many wrong passwords: this login is locked for %(minutes)s minutes.", minutes=minutes)
            if refused == "name" else _("Too many wrong passwords from this computer: try again in "
                                        "%(minutes)s minutes.", minutes=minutes)), 429
    if request.method == "POST":
        user = authenticate(session=db.session(), username=request.form.get("username", "").strip(),
                            password=request.form.get("password", ""))
        with unit_of_work(db.session()) as uow:  # the audit trail keeps logins and failed attempts
            record_login(session=uow.session, username=request.form.get("username", "").strip(),
                         succeeded=user is not None, address=request.remote_addr or "")
            uow.commit()
        if user is not None:
            chosen = session.get("lang")
            session.clear()  # a fresh session: nothing an earlier visitor left survives the login
            login_user(DeskUser.of(user))
            session[SEEN] = time.time()
            if chosen:
                session["lang"] = chosen
            log.info("login %s (%s)", user.username, user.role.value)
            return redirect(_safe_next(request.args.get("next")) or url_for(LANDING[user.role]))
        error = _("Wrong username or password.")
    return render_template("auth/login.html", error=error), 401 if error else 200


def _locked_out(username: str) -> str | None:
    """What is locked out after failed attempts, "name" or "address" (the refusal is audited), or None."""
    settings, address = current_app.config["HELPLINE_SETTINGS"], request.remote_addr or ""
    if locked_out(session=db.session(), username=username, max_failures=settings.login_max_failures,
                  minutes=settings.login_lockout_minutes):
        refused = "name"
    elif address_blocked(session=db.session(), address=address, minutes=settings.login_lockout_minutes,
                         max_failures=settings.login_max_failures_per_address):
        refused = "address"
    else:
        return None
    with unit_of_work(db.session()) as uow:
        record(session=uow.session, action="login_locked", subject=f"user:{username[:60]}", actor="anonymous",
               note=address[:60])
        uow.commit()
    log.warning("login of %s from %s refused: too many failed attempts (%s)", username[:60], address, refused)
    return refused


def end_idle_session() -> None:
    """Before every request: log out a desk session idle longer than HELPLINE_SESSION_IDLE_MINUTES."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    idle = current_app.config["HELPLINE_SETTINGS"].session_idle_minutes * 60
    now = time.time()
    if now - session.get(SEEN, 0) > idle:
        log.info("session of %s ended after %d idle minutes", current_user.username, idle // 60)
        logout_user()
        session.clear()
        return
    session[SEEN] = now


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        from agent_desk.web.presence import log_out_quietly
        log_out_quietly(current_user)
    logout_user()
    session.clear()  # the language choice too: the next person at this desk starts afresh
    return redirect(url_for("auth.login"))
