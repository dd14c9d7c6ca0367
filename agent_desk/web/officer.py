"""Officers' workspaces, scoped by jurisdiction: the complaints they see, the least time left first;
a complaint's page with its timeline and the steps the officer may take; requests to decide,
alerts, the beyond-L4 list; explanations asked and to review."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import OFFICERS, roles_required
from agent_desk.web.messages import error_text, field_errors
from models.calls import service as calls
from models.calls.recordings import conversation_file, recording_file
from models.complaints import explanations as explaining
from models.complaints import service as complaints
from models.complaints.actions import available, perform
from models.complaints.alerts import alerts_for
from models.complaints.complaint import Complaint
from models.complaints.explanations import Explanation, ExplanationNotOpen
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, NotAllowed, actor_for, may_see
from models.complaints.lifecycle import AlreadyAtTopLevel
from models.complaints.notes import Upload, attachment_file
from models.complaints.requests import (
    CLOSURE_REASONS,
    PAUSE_REASONS,
    NoApprover,
    RequestNotPending,
    RequestPending,
    may_decide,
    to_decide,
)
from models.complaints.routing import NoOfficerConfigured
from models.complaints.sla import beyond_l4
from models.complaints.status import IllegalTransition
from models.complaints.timeline import timeline
from models.complaints.transfers import NoNodalOfficer, TransferCapReached
from models.complaints.workspace import Filters, department_figures, workspace
from models.core.base import utcnow
from models.core.db import unit_of_work
from models.people.users import Role
from models.reference.departments import categories_of

bp = Blueprint("officer", __name__, url_prefix="/officer")
CONFLICTS = (IllegalTransition, TransferCapReached, RequestPending, RequestNotPending, NoApprover,
             AlreadyAtTopLevel, NoOfficerConfigured, NoNodalOfficer)


def _actor() -> Actor:
    return actor_for(session=db.session(), user=current_user)


@bp.get("/")
@roles_required(*OFFICERS)
def inbox():
    actor, args, error = _actor(), request.args, None
    filters = Filters(status=args.get("status", ""), level=args.get("level", "").removeprefix("L"),
                      district=args.get("district", ""), overdue=args.get("overdue") == "1",
                      mine=args.get("mine") == "1", text=args.get("q", ""))
    page = int(args["page"]) if args.get("page", "").isdigit() and int(args["page"]) > 0 else 1
    try:
        rows, total = workspace(session=db.session(), actor=actor, filters=filters, page=page)
    except InvalidField as exc:
        rows, total, error = [], 0, error_text(exc)
    oversees = actor.oversees_department
    return render_template(
        "officer/inbox.html", rows=rows, total=total, page=page, now=utcnow(), filters=filters,
        error=error, actor=actor,
        requests=to_decide(session=db.session(), actor=actor),
        alerts=alerts_for(session=db.session(), officer_id=actor.officer_id) if actor.officer_id else [],
        beyond=beyond_l4(session=db.session(), department_code=actor.department_code) if oversees else [],
        figures=(department_figures(session=db.session(), department_code=actor.department_code)
                 if actor.role is Role.SECRETARY and actor.department_code else None),
    ), 400 if error else 200


def _visible(public_id: str) -> Complaint:
    """The complaint, if it is within the officer's jurisdiction (else 404 or 403)."""
    complaint = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    if not may_see(_actor(), complaint):
        abort(403)
    return complaint


def _page(complaint: Complaint, errors: dict | None = None, message: str | None = None, status: int = 200):
    actor, t = _actor(), timeline(session=db.session(), complaint=complaint)
    return render_template(
        "officer/complaint.html", c=complaint, t=t,
        offered=available(complaint=complaint, actor=actor), actor=actor, now=utcnow(),
        categories=categories_of(session=db.session(), department_code=complaint.department_code),
        pause_reasons=PAUSE_REASONS, closure_reasons=CLOSURE_REASONS, errors=errors or {},
        decidable=[r for r in t.pending_requests if may_decide(actor, r)], message=message), status


@bp.get("/complaints/<public_id>")
@roles_required(*OFFICERS)
def complaint(public_id: str):
    return _page(_visible(public_id))


def _act(public_id: str, action: str):
    complaint = _visible(public_id)
    uploads = [Upload(f.filename, f.read()) for f in request.files.getlist("attachments") if f and f.filename]
    with unit_of_work(db.session()) as uow:
        try:
            perform(session=uow.session, complaint=complaint, actor=_actor(), action=action,
                    data=request.form, uploads=uploads, settings=current_app.config["HELPLINE_SETTINGS"])
        except NotAllowed:
            abort(403)
        except InvalidField as exc:
            uow.rollback()
            return _page(complaint, errors=field_errors(exc), status=400)
        except CONFLICTS as exc:
            uow.rollback()
            return _page(complaint, message=error_text(exc), status=409)
        uow.commit()
    flash(_("Done."), "ok")
    if may_see(_actor(), complaint):
        return redirect(url_for("officer.complaint", public_id=public_id))
    return redirect(url_for("officer.inbox"))  # e.g. returned to the nodal officer: no longer theirs


@bp.post("/complaints/<public_id>/act")
@roles_required(*OFFICERS)
def act(public_id: str):
    return _act(public_id, request.form.get("action", ""))


@bp.post("/complaints/<public_id>/start")
@roles_required(*OFFICERS)
def start(public_id: str):
    return _act(public_id, "start")


@bp.post("/complaints/<public_id>/resolve")
@roles_required(*OFFICERS)
def resolve(public_id: str):
    return _act(public_id, "resolve")


@bp.get("/complaints/<public_id>/recording")
@roles_required(*OFFICERS)
def recording(public_id: str):
    complaint = _visible(public_id)
    path = recording_file(session=db.session(), complaint=complaint,
                          recordings_dir=current_app.config["HELPLINE_SETTINGS"].recordings_dir) or abort(404)
    return send_file(path, mimetype="audio/wav", conditional=True)


@bp.get("/complaints/<public_id>/calls/<uniqueid>/conversation")
@roles_required(*OFFICERS)
def conversation(public_id: str, uniqueid: str):
    """A call's conversation with the agent, for an officer who may see the complaint it is about."""
    complaint = _visible(public_id)
    call = calls.get_by_uniqueid(session=db.session(), uniqueid=uniqueid)
    if call is None or call.complaint_id != complaint.id:
        abort(404)
    path = conversation_file(uniqueid=call.uniqueid,
                             recordings_dir=current_app.config["HELPLINE_SETTINGS"].recordings_dir) or abort(404)
    return send_file(path, mimetype="audio/wav", conditional=True)


@bp.get("/attachments/<int:attachment_id>")
@roles_required(*OFFICERS)
def attachment(attachment_id: int):
    found = attachment_file(session=db.session(), attachment_id=attachment_id, actor=_actor(),
                            settings=current_app.config["HELPLINE_SETTINGS"])
    if found is None:
        abort(404)
    row, path = found
    return send_file(path, mimetype=row.content_type, download_name=row.filename)


def _explanation(explanation_id: int) -> Explanation:
    return explaining.get_explanation(session=db.session(), explanation_id=explanation_id) or abort(404)


def _explanations_page(errors: dict[int, str] | None = None, status: int = 200):
    mine, record = [], None
    if current_user.officer_id:
        mine = explaining.pending_for_officer(session=db.session(), officer_id=current_user.officer_id)
        record = explaining.officer_record(session=db.session(), officer_id=current_user.officer_id)
    return render_template("officer/explanations.html", mine=mine, record=record,
                           to_review=explaining.to_review(session=db.session(), user=current_user),
                           overdue=explaining.overdue_to_review(session=db.session(), user=current_user),
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
