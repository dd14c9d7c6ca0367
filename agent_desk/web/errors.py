"""The 403, 404 and CSRF pages: a denial is a page that says so, never a crash."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

bp = Blueprint("errors", __name__)


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def _page(status: int, template: str, **context):
    if _wants_json():
        return jsonify({"error": context.get("reason") or status}), status
    return render_template(template, **context), status


@bp.app_errorhandler(403)
def forbidden(_exc):
    return _page(403, "errors/403.html")


@bp.app_errorhandler(404)
def not_found(_exc):
    if request.path.startswith(("/api/", "/open311/")):
        return jsonify({"error": "not found"}), 404
    return _page(404, "errors/404.html")


@bp.app_errorhandler(CSRFError)
def csrf_failed(exc):
    return _page(400, "errors/csrf.html", reason=exc.description)
