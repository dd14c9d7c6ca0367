"""The agent's desk: the call screen, the registration form, the result with its wrap-up code."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import AGENTS, roles_required
from agent_desk.web.complaint_form import form_input, form_values
from agent_desk.web.context import status_label
from agent_desk.web.messages import field_errors
from agent_desk.web.screen_pop import draft_view
from models.calls.presence import (
    DISPOSITIONS,
    PAUSE_REASONS,
    UnknownDisposition,
    set_disposition,
)
from models.complaints import service as complaints
from models.complaints.drafts import (
    DraftAlreadyDone,
    DraftNotFound,
    call_of,
    get_draft,
    link_at_desk,
    register_at_desk,
)
from models.complaints.intake import InvalidField
from models.complaints.routing import NoOfficerConfigured
from models.complaints.similar import find_similar
from models.core.db import unit_of_work
from models.reference.places import districts_in_keypad_order

log = logging.getLogger(__name__)
bp = Blueprint("agent", __name__, url_prefix="/agent")


@bp.get("/")
@roles_required(*AGENTS)
def desk():
    return render_template("agent/desk.html", pause_reasons=PAUSE_REASONS)


def _draft_or_none(public_id: str | None):
    """The draft for the form, or None; a done draft redirects to the complaint."""
    if not public_id:
        return None
    try:
        return get_draft(session=db.session(), public_id=public_id)
    except DraftNotFound:
        abort(404)


def _render_form(draft, values: dict, errors: dict, warnings=(), status: int = 200):
    return render_template(
        "agent/register.html", draft=draft, pop=draft_view(db.session(), draft) if draft else None,
        values=values, errors=errors, warnings=warnings,
        districts=districts_in_keypad_order(session=db.session())), status


@bp.route("/register", methods=["GET", "POST"])
@roles_required(*AGENTS)
def register():
    draft_id = request.values.get("draft") or None
    try:
        draft = _draft_or_none(draft_id)
    except DraftAlreadyDone as done:
        flash(_("This call's complaint is already %(status)s.", status=status_label(done.complaint.status)),
              "ok")
        return redirect(url_for("agent.complaint", public_id=done.complaint.public_id))
    if request.method == "GET":
        return _render_form(draft, form_values(draft=draft, args=request.args), {})
    values = form_values(draft=None, args=request.form)
    session = db.session()
    try:
        data = form_input(values)
        warnings = [] if values.get("confirm_new") else find_similar(
            session=session, mobile=data.cleaned().mobile, district_code=data.district_code,
            category_code=data.category_code, description=data.description,
            exclude_id=draft.id if draft else None)
        if warnings:
            return _render_form(draft, values, {}, warnings, 409)
        with unit_of_work(session) as uow:
            complaint = register_at_desk(session=uow.session, data=data, agent=current_user.username,
                                         draft_public_id=draft.public_id if draft else None)
            uow.commit()
    except InvalidField as exc:
        return _render_form(draft, values, field_errors(exc), status=400)
    except NoOfficerConfigured as exc:
        return _render_form(draft, values, field_errors(exc, "district_code"), status=422)
    return redirect(url_for("agent.registered", public_id=complaint.public_id))


@bp.get("/complaints/<public_id>/registered")
@roles_required(*AGENTS)
def registered(public_id: str):
    complaint = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    call = call_of(session=db.session(), complaint=complaint)
    return render_template("agent/registered.html", complaint=complaint, call=call,
                           dispositions=DISPOSITIONS)


@bp.post("/complaints/<public_id>/disposition")
@roles_required(*AGENTS)
def disposition(public_id: str):
    session = db.session()
    complaint = complaints.get_by_public_id(session=session, public_id=public_id) or abort(404)
    call = call_of(session=session, complaint=complaint) or abort(404)
    try:
        with unit_of_work(session) as uow:
            set_disposition(session=uow.session, call=call, code=request.form.get("code", ""),
                            agent=current_user.username)
            uow.commit()
    except UnknownDisposition:
        abort(400)
    flash(_("Wrap-up saved."), "ok")
    return redirect(url_for("agent.desk"))


@bp.post("/link")
@roles_required(*AGENTS)
def link():
    """'Link instead': the citizen's new contact is about an open complaint."""
    session = db.session()
    existing = complaints.get_by_public_id(session=session, public_id=request.form.get("existing", "")) \
        or abort(404)
    try:
        draft = _draft_or_none(request.form.get("draft"))
    except DraftAlreadyDone:
        draft = None
    with unit_of_work(session) as uow:
        link_at_desk(session=uow.session, existing=existing, agent=current_user.username, draft=draft)
        uow.commit()
    flash(_("Linked to complaint %(id)s.", id=existing.public_id), "ok")
    return redirect(url_for("agent.complaint", public_id=existing.public_id))


from agent_desk.web import desk_phone, lookups, presence, search  # noqa: E402,F401  (routes on this blueprint)
