"""The agent desk: one Flask app with a blueprint per audience."""

from __future__ import annotations

import logging

from flask import Flask

from models.core.settings import Settings, get_settings

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None, *, settings: Settings | None = None) -> Flask:
    """The desk application built from `settings` (default: the environment's); `test_config`
    overrides its config in tests."""
    settings = settings or get_settings()
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=str(settings.secret_key),
        DATABASE_URL=settings.database_url,
        HELPLINE_SETTINGS=settings,
        JSON_AS_ASCII=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,  # HELPLINE_SECURE_COOKIES; on unless in development
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        raise RuntimeError("HELPLINE_SECRET_KEY is not set (helpline serve and desk make a "
                           "development key under var/ when it is missing)")
    app.json.ensure_ascii = False  # Devanagari stays readable in JSON

    from agent_desk import db, edge, headers, health, web
    from agent_desk.api import bp as api_bp

    db.init_app(app)
    headers.init_app(app)  # Content-Security-Policy and friends on every response
    edge.init_app(app)  # query parameters normalised, NUL out of form fields
    app.register_blueprint(health.bp)
    app.register_blueprint(api_bp)
    from agent_desk.api.open311 import bp as open311_bp

    app.register_blueprint(open311_bp)  # Open311 GeoReport v2, api_key on POST
    web.init_app(app)  # the desk's audiences: agent, supervisor, officer, jandarshan, admin
    if settings.trusted_proxies > 0:  # HELPLINE_TRUSTED_PROXIES: the client's address, not the proxy's
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies)
    return app

