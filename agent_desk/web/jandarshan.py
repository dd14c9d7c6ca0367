"""Jandarshan: hearings, applications one by one, and bulk import with a progress bar."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.background import run_in_background
from agent_desk.web.access import JANDARSHAN, roles_required
from agent_desk.web.complaint_form import category_code
from agent_desk.web.fields import form_date
from agent_desk.web.messages import error_text, field_errors, row_errors
from models.complaints.intake import InvalidField
from models.complaints.routing import NoOfficerConfigured
from models.core.db import unit_of_work
from models.jandarshan import bulk_import, import_files
from models.jandarshan import hearings as jandarshan
from models.reference.places import districts_in_keypad_order

bp = Blueprint("jandarshan", __name__, url_prefix="/jandarshan")
APPLICATION_FIELDS = ("citizen_name", "mobile", "district_code", "block", "address", "category", "description")


def _hearing(hearing_id: int) -> jandarshan.Hearing:
    """The hearing, if this operator may work on it (else 403)."""
    hearing = jandarshan.get_hearing(session=db.session(), hearing_id=hearing_id) or abort(404)
    if not jandarshan.may_operate(current_user, hearing):
        abort(403)
    return hearing


def _hearings_page(errors: dict | None = None, status: int = 200):
    rows = jandarshan.hearings_for(session=db.session(), user=current_user)
    return render_template("jandarshan/hearings.html", hearings=rows, today=date.today().isoformat(),
                           districts=districts_in_keypad_order(session=db.session()),
                           errors=errors or {}, values=request.form), status


@bp.get("/")
@roles_required(*JANDARSHAN)
def hearings():
    return _hearings_page()


@bp.post("/hearings")
@roles_required(*JANDARSHAN)
def create():
    form = request.form
    try:
        with unit_of_work(db.session()) as uow:
            hearing = jandarshan.create_hearing(
                session=uow.session, user=current_user, kind=form.get("kind", ""),
                held_on=form_date("held_on", form.get("held_on"), required=True),
                place=form.get("place", ""),
                presiding_authority=form.get("presiding_authority", ""),
                district_code=form.get("district_code") or current_user.district_code)
            uow.commit()
    except jandarshan.NotYourHearing:
        abort(403)
    except InvalidField as exc:
        return _hearings_page(field_errors(exc), 400)
    return redirect(url_for("jandarshan.hearing", hearing_id=hearing.id))


def _render_hearing(hearing, values=None, errors=None, status=200):
    session = db.session()
    return render_template(
        "jandarshan/hearing.html", hearing=hearing, values=values or {}, errors=errors or {},
        applications=jandarshan.applications_of(session=session, hearing=hearing, limit=50),
        count=jandarshan.count_applications(session=session, hearing=hearing),
        districts=districts_in_keypad_order(session=session)), status


@bp.get("/hearings/<int:hearing_id>")
@roles_required(*JANDARSHAN)
def hearing(hearing_id: int):
    return _render_hearing(_hearing(hearing_id))


@bp.post("/hearings/<int:hearing_id>/applications")
@roles_required(*JANDARSHAN)
def add_application(hearing_id: int):
    hearing = _hearing(hearing_id)
    values = {name: request.form.get(name, "").strip() for name in APPLICATION_FIELDS}
    try:
        with unit_of_work(db.session()) as uow:
            complaint = jandarshan.add_application(
                session=uow.session, hearing=hearing, actor=current_user.actor,
                mobile=values["mobile"], description=values["description"],
                citizen_name=values["citizen_name"], district_code=values["district_code"] or None,
                block=values["block"] or None, address=values["address"],
                category_code=category_code(values["category"]))
            uow.commit()
    except InvalidField as exc:
        return _render_hearing(hearing, values, field_errors(exc), 400)
    except NoOfficerConfigured as exc:
        return _render_hearing(hearing, values, field_errors(exc, "district_code"), 422)
    flash(_("Application registered as complaint %(id)s.", id=complaint.public_id), "ok")
    return redirect(url_for("jandarshan.hearing", hearing_id=hearing.id))


@bp.post("/hearings/<int:hearing_id>/imports")
@roles_required(*JANDARSHAN)
def start_import(hearing_id: int):
    hearing = _hearing(hearing_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV or XLSX file."), "error")
        return redirect(url_for("jandarshan.hearing", hearing_id=hearing.id))
    try:
        rows = import_files.read_rows(upload.filename, upload.read())
    except import_files.UnreadableFile as exc:
        flash(error_text(exc), "error")
        return redirect(url_for("jandarshan.hearing", hearing_id=hearing.id))
    with unit_of_work(db.session()) as uow:
        job = bulk_import.create_job(session=uow.session, hearing=hearing, filename=upload.filename,
                                     user=current_user.username)
        uow.commit()
    actor = current_user.actor
    run_in_background(f"import-{job.id}", lambda session: bulk_import.run_job(
        session=session, job_id=job.id, rows=rows, actor=actor))
    return redirect(url_for("jandarshan.import_job", job_id=job.id))


def _job(job_id: int) -> bulk_import.ImportJob:
    job = bulk_import.get_job(session=db.session(), job_id=job_id) or abort(404)
    _hearing(job.hearing_id)
    return job


@bp.get("/imports/<int:job_id>")
@roles_required(*JANDARSHAN)
def import_job(job_id: int):
    job = _job(job_id)
    return render_template("jandarshan/import.html", job=job, errors=row_errors(job.errors),
                           hearing=_hearing(job.hearing_id))


@bp.get("/imports/<int:job_id>.json")
@roles_required(*JANDARSHAN)
def import_progress(job_id: int):
    job = _job(job_id)
    body = job.summary()
    if job.status in ("done", "failed"):
        body["errors"] = row_errors(job.errors)
    return jsonify(body)
