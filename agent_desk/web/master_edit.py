"""Admins edit master data on screen: each department's nodal officer, assistant nodal officers and
secretary; holidays on top of the gazetted ones; and read the audit trail (logins, user and
master-data changes)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from agent_desk import db
from agent_desk.web.access import ADMINS, roles_required
from agent_desk.web.fields import form_date
from agent_desk.web.messages import field_errors
from models.complaints.intake import InvalidField
from models.core.db import unit_of_work
from models.people.audit import recent
from models.people.officers import officers_of
from models.reference.departments import all_departments, get_department, set_department_officers
from models.reference.holidays import add_holiday, holidays, remove_holiday

bp = Blueprint("masteredit", __name__, url_prefix="/admin/manage")


@bp.get("/departments")
@roles_required(*ADMINS)
def departments():
    return render_template("masteredit/departments.html", departments=all_departments(session=db.session()))


def _department_page(code: str, errors: dict | None = None, status: int = 200):
    department = get_department(session=db.session(), code=code) or abort(404)
    return render_template("masteredit/department.html", d=department, errors=errors or {},
                           officers=officers_of(session=db.session(), department_code=code)), status


@bp.get("/departments/<code>")
@roles_required(*ADMINS)
def department(code: str):
    return _department_page(code)


@bp.post("/departments/<code>")
@roles_required(*ADMINS)
def save_department(code: str):
    department = get_department(session=db.session(), code=code) or abort(404)
    with unit_of_work(db.session()) as uow:
        try:
            set_department_officers(session=uow.session, department=department,
                                    nodal_officer=request.form.get("nodal_officer", ""),
                                    assistant_nodal_officers=request.form.getlist("assistant_nodal_officers"),
                                    secretary=request.form.get("secretary", ""))
        except InvalidField as exc:
            uow.rollback()
            return _department_page(code, field_errors(exc), 400)
        uow.commit()
    flash(_("Department %(code)s saved.", code=code), "ok")
    return redirect(url_for("masteredit.departments"))


def _holidays_page(errors: dict | None = None, status: int = 200):
    return render_template("masteredit/holidays.html", rows=holidays(session=db.session()),
                           errors=errors or {}), status


@bp.get("/holidays")
@roles_required(*ADMINS)
def holiday_list():
    return _holidays_page()


@bp.post("/holidays")
@roles_required(*ADMINS)
def add():
    with unit_of_work(db.session()) as uow:
        try:
            add_holiday(session=uow.session, day=form_date("day", request.form.get("day")),
                        name=request.form.get("name", ""))
        except InvalidField as exc:
            uow.rollback()
            return _holidays_page(field_errors(exc), 400)
        uow.commit()
    flash(_("Holiday added."), "ok")
    return redirect(url_for("masteredit.holiday_list"))


@bp.post("/holidays/<day>/remove")
@roles_required(*ADMINS)
def remove(day: str):
    try:
        when = form_date("day", day, required=True)
    except InvalidField:
        abort(404)
    with unit_of_work(db.session()) as uow:
        if not remove_holiday(session=uow.session, day=when):
            abort(404)
        uow.commit()
    flash(_("Holiday removed."), "ok")
    return redirect(url_for("masteredit.holiday_list"))


@bp.get("/audit")
@roles_required(*ADMINS)
def audit():
    return render_template("masteredit/audit.html", rows=recent(session=db.session(),
                                                                subject=request.args.get("subject") or None))
