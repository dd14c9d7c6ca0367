"""The SMS outbox for administrators: what is queued, being sent, sent, failed or dead, and why;
retry a dead one, or one whose outcome is unknown (a worker died while the gateway had it)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from agent_desk import db
from agent_desk.web.access import ADMINS, roles_required
from models.core.base import utcnow
from models.core.db import unit_of_work
from models.notifications import monitor
from models.notifications.gateway import gateway_from_settings
from models.notifications.outbox import OutboxStatus
from models.notifications.templates import unknown_template_keys

log = logging.getLogger(__name__)
bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("")
@roles_required(*ADMINS)
def index():
    shown = request.args.get("status", "")
    status = OutboxStatus(shown) if shown in {s.value for s in OutboxStatus} else None
    settings = current_app.config["HELPLINE_SETTINGS"]
    session = db.session()
    messages, now = monitor.listing(session=session, status=status), utcnow()
    return render_template("outbox/index.html", status=status.value if status else "", messages=messages,
                           unknown={m.id for m in messages if monitor.outcome_unknown(m, now)},
                           counts=monitor.counts(session=session), health=monitor.health(session=session),
                           gateway=gateway_from_settings(settings).name,
                           unknown_keys=unknown_template_keys(settings))


@bp.post("/<int:message_id>/retry")
@roles_required(*ADMINS)
def retry(message_id: int):
    with unit_of_work(db.session()) as uow:
        message = monitor.get(session=uow.session, message_id=message_id) or abort(404)
        try:
            monitor.retry(session=uow.session, message=message, now=utcnow())
        except monitor.NotDead:
            flash(_("Only a dead message, or one whose outcome is unknown, can be retried."), "error")
            return redirect(url_for("outbox.index"))
        uow.commit()
    flash(_("The message is queued again; the worker sends it on its next run."), "ok")
    return redirect(url_for("outbox.index", status="dead"))
