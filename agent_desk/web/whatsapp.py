"""The WhatsApp Cloud API webhook (/webhooks/whatsapp): the verification handshake, and every
delivery checked against its X-Hub-Signature-256 before anything is read."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from agent_desk import db
from models.channels.whatsapp_chat import Inbound, receive
from models.core.db import unit_of_work

log = logging.getLogger(__name__)
bp = Blueprint("whatsapp", __name__, url_prefix="/webhooks/whatsapp")


def _settings():
    return current_app.config["HELPLINE_SETTINGS"]


@bp.get("")
def verify():
    """Meta's handshake: echo hub.challenge when hub.verify_token is ours."""
    expected = str(_settings().whatsapp_verify_token)
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not expected \
            or not hmac.compare_digest(given.encode(), expected.encode()):
        abort(403)
    return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}


def signature_ok(body: bytes, header: str, secret: str) -> bool:
    """Whether `header` is `sha256=` + the HMAC-SHA256 of the raw body under the app secret."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[7:].lower(), expected)


def inbound_messages(payload: dict) -> list[Inbound]:
    """The messages of a Cloud API delivery (statuses of our own messages are not messages)."""
    found = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            names = {c.get("wa_id"): (c.get("profile") or {}).get("name", "")
                     for c in value.get("contacts") or []}
            for m in value.get("messages") or []:
                kind = m.get("type", "text")
                part = m.get(kind) or {}
                found.append(Inbound(
                    message_id=str(m.get("id", "")), wa_id=str(m.get("from", "")), kind=kind,
                    text=(part.get("body", "") if kind == "text"
                          else (part.get("text", "") if kind == "button" else part.get("caption", ""))),
                    profile_name=names.get(m.get("from"), ""), media_id=str(part.get("id", "")),
                    lat=part.get("latitude") if kind == "location" else None,
                    long=part.get("longitude") if kind == "location" else None))
    return [m for m in found if m.message_id and m.wa_id.isdigit()]


@bp.post("")
def deliver():
    body = request.get_data()
    if not signature_ok(body, request.headers.get("X-Hub-Signature-256", ""),
                        str(_settings().whatsapp_app_secret)):
        log.warning("WhatsApp delivery refused: bad or missing signature")
        abort(403)
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        return jsonify({"error": "the body is not a JSON object"}), 400
    handled = 0
    for inbound in inbound_messages(payload):
        handled += take_in(inbound)
    return jsonify({"ok": True, "handled": handled})


def take_in(inbound: Inbound, tries: int = 3) -> int:
    """1 when the message was taken in now, 0 when it had been before. A unique key met at the same
    moment as another delivery (the same message, or a citizen's first two) is tried again."""
    for attempt in range(1, tries + 1):
        try:
            with unit_of_work(db.session()) as uow:
                answered = receive(session=uow.session, inbound=inbound)
                uow.commit()
                return 0 if answered is None else 1
        except IntegrityError:
            log.info("WhatsApp message %s met another delivery (try %d)", inbound.message_id, attempt)
    raise RuntimeError(f"WhatsApp message {inbound.message_id} could not be taken in")
