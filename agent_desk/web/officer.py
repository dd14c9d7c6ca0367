"""The officer's inbox (minimal): complaints assigned to them; start work, resolve."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_desk import db
from agent_desk.web.access import OFFICERS, roles_required
from models import complaints, lifecycle
from models.complaint import Complaint
from models.db import unit_of_work
from models.intake import InvalidField
from models.status import OPEN, IllegalTransition

bp = Blueprint("officer", __name__, url_prefix="/officer")


@bp.get("/")
@roles_required(*OFFICERS)
def inbox():
    rows = []
    if current_user.officer_id:
        rows = list(db.session().scalars(select(Complaint).where(
            Complaint.officer_id == current_user.officer_id, Complaint.status.in_(OPEN))
            .order_by(Complaint.due_at).limit(200)))
    return render_template("officer/inbox.html", rows=rows)


def _own(public_id: str) -> Complaint:
    """The complaint, if it is assigned to the logged-in officer (else 403)."""
    complaint = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    if complaint.officer_id is None or complaint.officer_id != current_user.officer_id:
        abort(403)
    return complaint


@bp.post("/complaints/<public_id>/start")
@roles_required(*OFFICERS)
def start(public_id: str):
    complaint = _own(public_id)
    with unit_of_work(db.session()) as uow:
        try:
            lifecycle.start_work(session=uow.session, complaint=complaint, actor=current_user.actor)
        except IllegalTransition as exc:
            flash(str(exc), "error")
            return redirect(url_for("officer.inbox"))
        uow.commit()
    return redirect(url_for("officer.inbox"))


@bp.post("/complaints/<public_id>/resolve")
@roles_required(*OFFICERS)
def resolve(public_id: str):
    complaint = _own(public_id)
    with unit_of_work(db.session()) as uow:
        try:
            lifecycle.resolve(session=uow.session, complaint=complaint, actor=current_user.actor,
                              resolution=request.form.get("resolution", ""))
        except (IllegalTransition, InvalidField) as exc:
            flash(str(exc), "error")
            return redirect(url_for("officer.inbox"))
        uow.commit()
    flash(_("Complaint %(id)s resolved.", id=public_id), "ok")
    return redirect(url_for("officer.inbox"))
