"""GET /healthz: is the desk up, can it reach the database (and speech, when loaded), and is the
SMS gateway taking messages."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from agent_desk import db
from ivr.speech import speech_status
from models.notifications import monitor
from models.notifications.gateway import gateway_from_settings

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def sms_status() -> dict:
    """The SMS gateway as the outbox shows it: ok unless a message is dead or of unknown outcome
    (`unknown`: left `sending` by a worker that died), or the latest try was refused."""
    seen = monitor.health(session=db.session())
    status = {"ok": seen.ok, "gateway": gateway_from_settings(current_app.config["HELPLINE_SETTINGS"]).name,
              **{status: count for status, count in seen.counts.items()}, "unknown": seen.unknown}
    if not seen.ok:
        status["last_error"] = seen.last_error
        status["last_failure_at"] = seen.last_failure_at.isoformat() if seen.last_failure_at else None
    return status


@bp.get("/healthz")
def healthz():
    status = {"status": "ok", "database": {"ok": True}}
    try:
        db.session().execute(text("SELECT 1"))
        status["database"]["dialect"] = db.session().get_bind().dialect.name
    except Exception as exc:  # report, don't crash: this is what monitoring reads
        log.warning("health check: database unreachable: %s", exc)
        status["status"] = "degraded"
        status["database"] = {"ok": False, "error": type(exc).__name__}
    if status["database"]["ok"]:
        try:
            status["sms"] = sms_status()
        except Exception as exc:
            log.warning("health check: the SMS outbox cannot be read: %s", exc)
            status["sms"] = {"ok": False, "error": type(exc).__name__}
        if not status["sms"]["ok"]:
            status["status"] = "degraded"  # messages are stuck; the desk itself still serves
    status["speech"] = speech_status()
    return jsonify(status), 200 if status["database"]["ok"] else 503
