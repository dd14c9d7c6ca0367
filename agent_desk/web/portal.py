"""The citizens' portal: lodge a complaint after a one-time code confirms the mobile, and follow it
at /track. No login; Hindi first; small pages that work without scripts."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from agent_desk import db
from agent_desk.portal import t
from agent_desk.portal.forms import complaint_input, location, reference_lists, uploads
from agent_desk.portal.words import field_message, id_message, limited_message, step_words
from agent_desk.web.context import lang
from agent_desk.web.extensions import csrf
from models.channels import citizen, codes, limits, tracking
from models.complaints import complaint_id
from models.complaints.intake import InvalidField, normalise_mobile
from models.complaints.routing import NoOfficerConfigured
from models.core.db import unit_of_work

log = logging.getLogger(__name__)
bp = Blueprint("portal", __name__)

VERIFIED_FOR_S = 30 * 60
CODES_PER_ADDRESS, LODGES_PER_ADDRESS, LODGES_PER_MOBILE = 10, 20, 5
TRACKS_PER_ADDRESS = 30


@bp.before_request
def _protect_forms() -> None:
    """Every form here carries its CSRF token (the portal is public, so no role guards it)."""
    if request.method == "POST":
        csrf.protect()


@bp.context_processor
def portal_globals() -> dict:
    return {"t": t, "step_words": step_words}


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _verified_mobile() -> str | None:
    mobile, at = session.get("portal_mobile"), session.get("portal_verified_at", 0)
    return mobile if mobile and time.time() - at < VERIFIED_FOR_S else None


def _address() -> str:
    return request.remote_addr or "unknown"


@bp.get("/portal/")
def home():
    return render_template("portal/home.html")


@bp.route("/portal/mobile", methods=["GET", "POST"])
def mobile():
    """Step 1: the citizen's mobile; a one-time code goes to it by SMS."""
    if request.method == "GET":
        return render_template("portal/mobile.html", mobile=session.get("portal_pending", ""), errors={})
    typed = request.form.get("mobile", "")
    errors = {}
    with unit_of_work(db.session()) as uow:
        try:
            limits.hit(session=uow.session, key=f"code:ip:{_address()}", limit=CODES_PER_ADDRESS,
                       window=timedelta(hours=1))
            codes.send_code(session=uow.session, mobile=typed, secret=_secret(), language=lang())
        except InvalidField as exc:
            errors["mobile"] = field_message(exc)
        except codes.CodeBlocked as exc:
            errors["mobile"] = limited_message(exc.until)
        except limits.RateLimited as exc:
            errors["mobile"] = limited_message(exc.retry_after)
        uow.commit()  # a refused try still counts
    if errors:
        return render_template("portal/mobile.html", mobile=typed, errors=errors), 400
    session["portal_pending"] = normalise_mobile(typed)
    return redirect(url_for("portal.code"))


@bp.route("/portal/code", methods=["GET", "POST"])
def code():
    """Step 2: the code from the SMS; right, and the mobile counts as confirmed for 30 minutes."""
    pending = session.get("portal_pending") or ""
    if not pending:
        return redirect(url_for("portal.mobile"))
    if request.method == "GET":
        return render_template("portal/code.html", mobile=pending, errors={})
    with unit_of_work(db.session()) as uow:
        check = codes.check_code(session=uow.session, mobile=pending, code=request.form.get("code", ""),
                                 secret=_secret())
        uow.commit()  # a wrong try counts
    if check.outcome is codes.Outcome.OK:
        session["portal_mobile"], session["portal_verified_at"] = pending, time.time()
        return redirect(url_for("portal.lodge"))
    message = {
        codes.Outcome.WRONG: t("This code is not right. %(n)s tries left.", n=check.remaining),
        codes.Outcome.EXPIRED: t("The code has expired or was used. Ask for a new code."),
        codes.Outcome.BLOCKED: limited_message(check.until),
    }[check.outcome]
    return render_template("portal/code.html", mobile=pending, errors={"code": message}), 400


@bp.route("/portal/lodge", methods=["GET", "POST"])
def lodge():
    """Step 3: the complaint itself; a possible duplicate is shown before it is registered."""
    verified = _verified_mobile()
    if not verified:
        return redirect(url_for("portal.mobile"))
    lists = reference_lists(db.session())
    if request.method == "GET":
        return render_template("portal/lodge.html", form={}, errors={}, similar=[], mobile=verified, **lists)
    form = request.form
    errors: dict[str, str] = {}
    similar = []
    with unit_of_work(db.session()) as uow:
        try:
            data = complaint_input(uow.session, form, mobile=verified, language=lang())
            where = location(form)
            files = uploads(request.files)
            citizen.check_files(files, current_app.config["HELPLINE_SETTINGS"])
            similar = [] if form.get("confirm_new") else citizen.possible_duplicates(
                session=uow.session, data=data.cleaned())
            if not similar:
                limits.hit(session=uow.session, key=f"lodge:ip:{_address()}", limit=LODGES_PER_ADDRESS,
                           window=timedelta(hours=1))
                limits.hit(session=uow.session, key=f"lodge:mobile:{verified}", limit=LODGES_PER_MOBILE,
                           window=timedelta(days=1))
                complaint = citizen.lodge(session=uow.session, data=data, actor="portal",
                                          uploads=files, location=where,
                                          settings=current_app.config["HELPLINE_SETTINGS"])
                uow.commit()
                session["portal_last"] = complaint.public_id
                return redirect(url_for("portal.done", public_id=complaint.public_id))
        except InvalidField as exc:
            errors[exc.field] = field_message(exc)
        except NoOfficerConfigured:
            if form.get("block"):
                errors["district_code"] = t("No office takes this kind of complaint in this district "
                                            "yet. Please call the helpline.")
            else:  # the district's complaints go to its blocks' offices
                errors["block"] = t("Choose your block or tehsil: in this district, complaints go to "
                                    "the block's office.")
        except limits.RateLimited as exc:  # counted only for complaints registered
            errors["form"] = limited_message(exc.retry_after)
    status = 400 if errors else 200
    return render_template("portal/lodge.html", form=form, errors=errors, similar=similar,
                           mobile=verified, **lists), status


@bp.get("/portal/done/<public_id>")
def done(public_id: str):
    if session.get("portal_last") != public_id:
        abort(404)
    return render_template("portal/done.html", public_id=public_id,
                           grouped=complaint_id.grouped(public_id))


@bp.route("/track", methods=["GET", "POST"])
def track():
    """Follow a complaint by its ID and the last four digits of the registered mobile."""
    if request.method == "GET":
        return render_template("portal/track.html", form={"id": request.args.get("id", "")},
                               errors={}, found=None)
    form = request.form
    errors: dict[str, str] = {}
    found = None
    with unit_of_work(db.session()) as uow:
        try:
            limits.hit(session=uow.session, key=f"track:ip:{_address()}", limit=TRACKS_PER_ADDRESS,
                       window=timedelta(minutes=10))
            found = tracking.track(session=uow.session, id_text=form.get("id", ""),
                                   last4=form.get("last4", ""))
        except complaint_id.InvalidComplaintId:
            errors["id"] = id_message(tracking.id_problem(form.get("id", "")))
        except InvalidField as exc:
            errors[exc.field] = t("Give the last 4 digits of the mobile number the complaint was "
                                  "registered with.")
        except tracking.NotFound:
            errors["form"] = t("No complaint has this ID with a mobile number ending in these digits.")
        except limits.RateLimited as exc:
            errors["form"] = limited_message(exc.retry_after)
        uow.commit()  # the try counts, found or not
    return render_template("portal/track.html", form=form, errors=errors, found=found), \
        400 if errors else 200
