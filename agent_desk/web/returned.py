"""The helpline's side of "not my department": complaints a nodal officer sent back, to be routed
to the right department (a transfer), and reopening a resolved complaint for a citizen."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import ADMINS, AGENTS, roles_required
from agent_desk.web.messages import error_text
from models.complaints import service as complaints
from models.complaints.actions import perform
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import NotAllowed, actor_for
from models.complaints.routing import NoOfficerConfigured
from models.complaints.status import IllegalTransition
from models.complaints.transfers import NoNodalOfficer, TransferCapReached
from models.complaints.workspace import Filters, workspace
from models.core.db import unit_of_work
from models.reference.departments import all_categories

bp = Blueprint("returned", __name__, url_prefix="/helpline")
HELPLINE = (*AGENTS, *ADMINS)
STEPS = ("transfer", "reopen")


def _page(error: str | None = None, error_id: str | None = None, status: int = 200):
    actor = actor_for(session=db.session(), user=current_user)
    rows, _total = workspace(session=db.session(), actor=actor, filters=Filters(status="returned"))
    return render_template("returned/index.html", rows=rows, error=error, error_id=error_id,
                           categories=all_categories(session=db.session())), status


@bp.get("/returned")
@roles_required(*HELPLINE)
def index():
    return _page()


@bp.post("/reopen")
@roles_required(*HELPLINE)
def reopen():
    """The citizen is not satisfied: reopen a resolved complaint by its ID."""
    public_id = "".join(ch for ch in request.form.get("complaint_id", "") if ch.isdigit())
    if complaints.get_by_public_id(session=db.session(), public_id=public_id) is None:
        return _page(error_text(InvalidField("complaint_id", "no such complaint", code="unknown")),
                     "reopen", 400)
    return _act(public_id, "reopen")


@bp.post("/complaints/<public_id>/act")
@roles_required(*HELPLINE)
def act(public_id: str):
    action = request.form.get("action", "")
    if action not in STEPS:
        abort(400)
    return _act(public_id, action)


def _act(public_id: str, action: str):
    complaint = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    with unit_of_work(db.session()) as uow:
        try:
            perform(session=uow.session, complaint=complaint,
                    actor=actor_for(session=uow.session, user=current_user), action=action,
                    data=request.form, settings=current_app.config["HELPLINE_SETTINGS"])
        except NotAllowed:
            abort(403)
        except InvalidField as exc:
            uow.rollback()
            return _page(error_text(exc), public_id if action == "transfer" else "reopen", 400)
        except (IllegalTransition, TransferCapReached, NoOfficerConfigured, NoNodalOfficer) as exc:
            uow.rollback()
            return _page(error_text(exc), public_id if action == "transfer" else "reopen", 409)
        uow.commit()
    flash(_("Complaint %(id)s: done.", id=public_id), "ok")
    return redirect(url_for("returned.index"))
