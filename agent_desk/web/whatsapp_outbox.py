"""WhatsApp replies for administrators (/admin/whatsapp): queued, sent, failed or dead, and why;
retry a dead one."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from agent_desk import db
from agent_desk.web.access import ADMINS, roles_required
from models.channels import whatsapp_monitor
from models.channels.whatsapp_cloud import adapter_from_settings
from models.channels.whatsapp_messages import Delivery
from models.core.base import utcnow
from models.core.db import unit_of_work
from models.notifications.monitor import NotDead

log = logging.getLogger(__name__)
bp = Blueprint("whatsapp_outbox", __name__, url_prefix="/admin/whatsapp")


@bp.get("")
@roles_required(*ADMINS)
def index():
    shown = request.args.get("status", "")
    status = Delivery(shown) if shown in {s.value for s in whatsapp_monitor.SHOWN} else None
    session = db.session()
    messages, now = whatsapp_monitor.replies(session=session, status=status), utcnow()
    return render_template("whatsapp/outbox.html", status=status.value if status else "", messages=messages,
                           unknown={m.id for m in messages if whatsapp_monitor.outcome_unknown(m, now)},
                           counts=whatsapp_monitor.counts(session=session),
                           adapter=adapter_from_settings(current_app.config["HELPLINE_SETTINGS"]).name)


@bp.post("/<int:message_id>/retry")
@roles_required(*ADMINS)
def retry(message_id: int):
    with unit_of_work(db.session()) as uow:
        try:
            if whatsapp_monitor.retry(session=uow.session, message_id=message_id, now=utcnow()) is None:
                abort(404)
        except NotDead:
            flash(_("Only a dead message, or one whose outcome is unknown, can be retried."), "error")
            return redirect(url_for("whatsapp_outbox.index"))
        uow.commit()
    flash(_("The message is queued again; the worker sends it on its next run."), "ok")
    return redirect(url_for("whatsapp_outbox.index", status="dead"))
