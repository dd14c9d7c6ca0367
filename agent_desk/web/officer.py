"""The officer's inbox: complaints assigned to them (start, resolve) and explanations asked or to review."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from agent_desk import db
from agent_desk.web.access import OFFICERS, roles_required
from models.complaints import lifecycle
from models.complaints import service as complaints
from models.complaints.complaint import Complaint
from models.complaints.explanations import (
    Explanation,
    ExplanationNotOpen,
    ExplanationStatus,
    pending_for_officer,
    review_explanation,
    submit_explanation,
)
from models.complaints.intake import InvalidField
from models.complaints.status import OPEN, IllegalTransition
from models.core.db import unit_of_work
from models.people.users import Role

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


def _explanation(explanation_id: int) -> Explanation:
    return db.session().get(Explanation, explanation_id) or abort(404)


def _may_review(explanation: Explanation) -> bool:
    """The officer now holding the complaint, or the department's nodal officer / secretary."""
    complaint = explanation.complaint
    if current_user.officer_id is not None and explanation.officer_id == current_user.officer_id:
        return False  # nobody reviews their own explanation
    if current_user.role in (Role.NODAL_OFFICER, Role.SECRETARY):
        if current_user.department_code and complaint.department_code == current_user.department_code:
            return True
    return current_user.officer_id is not None and complaint.officer_id == current_user.officer_id


def _to_review() -> list[Explanation]:
    query = (select(Explanation).join(Complaint, Explanation.complaint_id == Complaint.id)
             .where(Explanation.status == ExplanationStatus.SUBMITTED))
    if current_user.role in (Role.NODAL_OFFICER, Role.SECRETARY) and current_user.department_code:
        query = query.where(or_(Complaint.officer_id == current_user.officer_id,
                                Complaint.department_code == current_user.department_code))
    else:
        query = query.where(Complaint.officer_id == current_user.officer_id)
    rows = db.session().scalars(query.order_by(Explanation.submitted_at).limit(200))
    return [row for row in rows if _may_review(row)]


def _explanations_page(errors: dict[int, str] | None = None, status: int = 200):
    mine = []
    if current_user.officer_id:
        mine = pending_for_officer(session=db.session(), officer_id=current_user.officer_id)
    return render_template("officer/explanations.html", mine=mine, to_review=_to_review(),
                           errors=errors or {}), status


@bp.get("/explanations")
@roles_required(*OFFICERS)
def explanations():
    return _explanations_page()


@bp.post("/explanations/<int:explanation_id>/submit")
@roles_required(*OFFICERS)
def submit(explanation_id: int):
    explanation = _explanation(explanation_id)
    if current_user.officer_id is None or explanation.officer_id != current_user.officer_id:
        abort(403)
    with unit_of_work(db.session()) as uow:
        try:
            submit_explanation(session=uow.session, explanation=explanation,
                               text=request.form.get("text", ""))
        except InvalidField:
            uow.rollback()
            return _explanations_page(
                {explanation_id: _("Explain in at least 10 characters.")}, 400)
        except ExplanationNotOpen:
            flash(_("This explanation is no longer open."), "error")
            return redirect(url_for("officer.explanations"))
        uow.commit()
    flash(_("Explanation submitted."), "ok")
    return redirect(url_for("officer.explanations"))


@bp.post("/explanations/<int:explanation_id>/review")
@roles_required(*OFFICERS)
def review(explanation_id: int):
    explanation = _explanation(explanation_id)
    if not _may_review(explanation):
        abort(403)
    decision = request.form.get("decision")
    if decision not in ("accept", "reject"):
        abort(400)
    with unit_of_work(db.session()) as uow:
        try:
            review_explanation(session=uow.session, explanation=explanation,
                               accepted=decision == "accept", reviewer=current_user.actor,
                               note=request.form.get("note", "").strip())
        except ExplanationNotOpen:
            flash(_("This explanation is no longer open."), "error")
            return redirect(url_for("officer.explanations"))
        uow.commit()
    flash(_("Explanation accepted.") if decision == "accept" else _("Explanation rejected."), "ok")
    return redirect(url_for("officer.explanations"))
