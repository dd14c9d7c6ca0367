"""GET /healthz: is the desk up, and can it reach the database (and speech, when loaded)."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text

from agent_desk import db
from ivr.speech import speech_status

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


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
    status["speech"] = speech_status()
    return jsonify(status), 200 if status["status"] == "ok" else 503
