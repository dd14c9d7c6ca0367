"""Administration (minimal): users and a read-only view of the master data."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from agent_desk import db
from agent_desk.web.access import ADMINS, roles_required
from agent_desk.web.messages import error_text
from models.core.db import unit_of_work
from models.people import users as people
from models.people.users import Role, UnknownRole, UserExists, WeakPassword
from models.reference.departments import all_departments
from models.reference.places import districts_in_keypad_order

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles_required(*ADMINS)
def users():
    return render_template("admin/users.html", users=people.all_users(session=db.session()),
                           roles=[r.value for r in Role],
                           districts=districts_in_keypad_order(session=db.session()))


@bp.post("/users")
@roles_required(*ADMINS)
def add():
    form = request.form
    try:
        with unit_of_work(db.session()) as uow:
            people.add_user(session=uow.session, username=form.get("username", "").strip(),
                            password=form.get("password", ""), role=form.get("role", ""),
                            full_name=form.get("full_name", "").strip(),
                            district_code=form.get("district_code") or None,
                            phone_interface=form.get("phone_interface") or None)
            uow.commit()
    except (UserExists, WeakPassword, UnknownRole) as exc:
        flash(error_text(exc), "error")
        return redirect(url_for("admin.users"))
    flash(_("User added."), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@roles_required(*ADMINS)
def toggle_active(user_id: int):
    with unit_of_work(db.session()) as uow:
        user = people.get_user(session=uow.session, user_id=user_id) or abort(404)
        people.toggle_active(session=uow.session, user=user)
        uow.commit()
    return redirect(url_for("admin.users"))


@bp.get("/master")
@roles_required(*ADMINS)
def master():
    return render_template("admin/master.html", departments=all_departments(session=db.session()),
                           districts=districts_in_keypad_order(session=db.session()))
