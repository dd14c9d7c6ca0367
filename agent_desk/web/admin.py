"""Administration (minimal): users and a read-only view of the master data."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from agent_desk import db
from agent_desk import phones as desk_phones
from agent_desk.web.access import ADMINS, roles_required
from agent_desk.web.messages import error_text, field_errors
from models.complaints.intake import InvalidField
from models.core.db import unit_of_work
from models.people import phones
from models.people import users as people
from models.people.users import Role, UnknownRole, UserExists, WeakPassword
from models.reference.departments import all_departments
from models.reference.places import districts_in_keypad_order

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _users_page(errors: dict | None = None, status: int = 200):
    session = db.session()
    return render_template("admin/users.html", users=people.all_users(session=session),
                           phones={p.user_id: p for p in phones.all_phones(session=session)},
                           phone_kinds=[k.value for k in phones.PhoneKind],
                           phone_roles={r.value for r in phones.PHONE_ROLES},
                           roles=[r.value for r in Role], errors=errors or {}, values=request.form,
                           districts=districts_in_keypad_order(session=db.session())), status


@bp.get("/users")
@roles_required(*ADMINS)
def users():
    return _users_page()


@bp.post("/users")
@roles_required(*ADMINS)
def add():
    form = request.form
    try:
        with unit_of_work(db.session()) as uow:
            people.add_user(session=uow.session, username=form.get("username", ""),
                            password=form.get("password", ""), role=form.get("role", ""),
                            full_name=form.get("full_name", ""),
                            district_code=form.get("district_code") or None,
                            phone_interface=form.get("phone_interface") or None)
            uow.commit()
    except (UserExists, WeakPassword, UnknownRole) as exc:
        flash(error_text(exc), "error")
        return redirect(url_for("admin.users"))
    except InvalidField as exc:
        return _users_page(field_errors(exc), 400)
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


@bp.post("/users/<int:user_id>/phone")
@roles_required(*ADMINS)
def issue_phone(user_id: int):
    """A phone for an agent: its SIP login and password, shown on this page once and never again."""
    kind = request.form.get("kind", "")
    if kind not in {k.value for k in phones.PhoneKind}:
        abort(400)
    try:
        with unit_of_work(db.session()) as uow:
            user = people.get_user(session=uow.session, user_id=user_id) or abort(404)
            result = desk_phones.issue(session=uow.session, user=user, kind=kind)
            uow.commit()
    except phones.NotAnAgent as exc:
        flash(error_text(exc), "error")
        return redirect(url_for("admin.users"))
    settings = current_app.config["HELPLINE_SETTINGS"]
    response = make_response(render_template(
        "admin/phone_issued.html", user=user, phone=result.issued.phone, password=result.issued.password,
        provisioned=result.provisioned, realm=phones.REALM, sip_server=settings.sip_bind))
    response.headers["Cache-Control"] = "no-store"  # the password must not stay in a cache
    return response


@bp.post("/users/<int:user_id>/phone/provision")
@roles_required(*ADMINS)
def provision_phone(user_id: int):
    """Hand a phone Asterisk does not have (it was down) to it again, with the same password."""
    with unit_of_work(db.session()) as uow:
        user = people.get_user(session=uow.session, user_id=user_id) or abort(404)
        phone = phones.phone_of(session=uow.session, user=user) or abort(404)
        ok = desk_phones.provision(session=uow.session, phone=phone)
        uow.commit()
    flash(_("The phone is on the exchange.") if ok else _("Asterisk is not reachable; try again."),
          "ok" if ok else "error")
    return redirect(url_for("admin.users"))


@bp.get("/master")
@roles_required(*ADMINS)
def master():
    return render_template("admin/master.html", departments=all_departments(session=db.session()),
                           districts=districts_in_keypad_order(session=db.session()))
