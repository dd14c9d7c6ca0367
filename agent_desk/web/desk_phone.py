"""The desk page's own phone (WebRTC): on each load the page asks for a fresh credential, Asterisk
gets its digest through ARI, and the browser registers over the WebSocket (static/phone.js)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk import phones as desk_phones
from agent_desk.web.access import roles_required
from agent_desk.web.agent import bp
from models.core.db import unit_of_work
from models.people import phones, users
from models.people.users import Role


@bp.post("/phone")
@roles_required(Role.AGENT)
def browser_phone():
    """JSON for JsSIP: the SIP address, the WebSocket and a password valid until the next load.
    409 when the agent works with another phone (a softphone or a Local/ stand-in)."""
    settings = current_app.config["HELPLINE_SETTINGS"]
    with unit_of_work(db.session()) as uow:
        user = users.get_user(session=uow.session, user_id=current_user.id)
        phone = phones.phone_of(session=uow.session, user=user)
        if user.phone_interface and (phone is None or phone.kind is not phones.PhoneKind.BROWSER):
            return jsonify({"error": "other_phone", "interface": user.phone_interface,
                            "message": _("Your calls ring on %(phone)s, not in the browser.",
                                         phone=user.phone_interface)}), 409
        result = desk_phones.issue(session=uow.session, user=user, kind=phones.PhoneKind.BROWSER)
        uow.commit()
        phone = result.issued.phone
        body = {"interface": phone.interface, "ws_url": settings.phone_ws_url,
                "uri": f"sip:{phone.endpoint}@{urlsplit(settings.phone_ws_url).hostname}",
                "password": result.issued.password, "display_name": user.full_name or user.username}
    if not result.provisioned:
        return jsonify({"error": "asterisk", "message": _("Asterisk is not reachable; try again.")}), 503
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response
