"""/login and /logout; after login each role lands on its own screen."""

from __future__ import annotations

import logging

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from agent_desk import db
from agent_desk.web.access import DeskUser
from models.core.db import unit_of_work
from models.people.audit import record_login
from models.people.users import Role, authenticate

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

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
    if request.method == "POST":
        user = authenticate(session=db.session(), username=request.form.get("username", "").strip(),
                            password=request.form.get("password", ""))
        with unit_of_work(db.session()) as uow:  # the audit trail keeps logins and failed attempts
            record_login(session=uow.session, username=request.form.get("username", "").strip(),
                         succeeded=user is not None, address=request.remote_addr or "")
            uow.commit()
        if user is not None:
            chosen = session.get("lang")
            login_user(DeskUser.of(user))
            if chosen:
                session["lang"] = chosen
            log.info("login %s (%s)", user.username, user.role.value)
            return redirect(_safe_next(request.args.get("next")) or url_for(LANDING[user.role]))
        error = _("Wrong username or password.")
    return render_template("auth/login.html", error=error), 401 if error else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        from agent_desk.web.presence import log_out_quietly
        log_out_quietly(current_user)
    logout_user()
    return redirect(url_for("auth.login"))
