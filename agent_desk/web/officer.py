"""The officer's inbox: complaints assigned to them (start, resolve) and explanations asked or to review."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import OFFICERS, roles_required
from agent_desk.web.messages import error_text
from models.complaints import explanations as explaining
from models.complaints import lifecycle
from models.complaints import service as complaints
from models.complaints.complaint import Complaint
from models.complaints.explanations import Explanation, ExplanationNotOpen
from models.complaints.intake import InvalidField
from models.complaints.status import IllegalTransition
from models.core.db import unit_of_work

bp = Blueprint("officer", __name__, url_prefix="/officer")


@bp.get("/")
@roles_required(*OFFICERS)
def inbox():
    rows = []
    if current_user.officer_id:
        rows = complaints.open_for_officer(session=db.session(), officer_id=current_user.officer_id)
    return render_template("officer/inbox.html", rows=rows)


def _own(public_id: str) -> Complaint:
    """The complaint, if it is assigned to the logged-in officer (else 403)."""
    complaint = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    if not lifecycle.may_act_on(user=current_user, complaint=complaint):
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
            flash(error_text(exc), "error")
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
            flash(error_text(exc), "error")
            return redirect(url_for("officer.inbox"))
        uow.commit()
    flash(_("Complaint %(id)s resolved.", id=public_id), "ok")
    return redirect(url_for("officer.inbox"))


def _explanation(explanation_id: int) -> Explanation:
    return explaining.get_explanation(session=db.session(), explanation_id=explanation_id) or abort(404)


def _explanations_page(errors: dict[int, str] | None = None, status: int = 200):
    mine = []
    if current_user.officer_id:
        mine = explaining.pending_for_officer(session=db.session(), officer_id=current_user.officer_id)
    return render_template("officer/explanations.html", mine=mine,
                           to_review=explaining.to_review(session=db.session(), user=current_user),
                           errors=errors or {}), status


@bp.get("/explanations")
@roles_required(*OFFICERS)
def explanations():
    return _explanations_page()


@bp.post("/explanations/<int:explanation_id>/submit")
@roles_required(*OFFICERS)
def submit(explanation_id: int):
    explanation = _explanation(explanation_id)
    if not explaining.may_submit(user=current_user, explanation=explanation):
        abort(403)
    with unit_of_work(db.session()) as uow:
        try:
            explaining.submit_explanation(session=uow.session, explanation=explanation,
                                          text=request.form.get("text", ""))
        except InvalidField as exc:
            uow.rollback()
            return _explanations_page({explanation_id: error_text(exc)}, 400)
        except ExplanationNotOpen as exc:
            flash(error_text(exc), "error")
            return redirect(url_for("officer.explanations"))
        uow.commit()
    flash(_("Explanation submitted."), "ok")
    return redirect(url_for("officer.explanations"))


@bp.post("/explanations/<int:explanation_id>/review")
@roles_required(*OFFICERS)
def review(explanation_id: int):
    explanation = _explanation(explanation_id)
    if not explaining.may_review(user=current_user, explanation=explanation):
        abort(403)
    decision = request.form.get("decision")
    if decision not in ("accept", "reject"):
        abort(400)
    with unit_of_work(db.session()) as uow:
        try:
            explaining.review_explanation(session=uow.session, explanation=explanation,
                                          accepted=decision == "accept", reviewer=current_user.actor,
                                          note=request.form.get("note", "").strip())
        except ExplanationNotOpen as exc:
            flash(error_text(exc), "error")
            return redirect(url_for("officer.explanations"))
        uow.commit()
    flash(_("Explanation accepted.") if decision == "accept" else _("Explanation rejected."), "ok")
    return redirect(url_for("officer.explanations"))
