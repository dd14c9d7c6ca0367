"""Security headers on every response: a Content-Security-Policy that allows no inline script
(pages pass their settings to static scripts in data-* attributes), no framing, no sniffing."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, current_app

from models.core.settings import Settings

log = logging.getLogger(__name__)


def content_security_policy(settings: Settings) -> str:
    """The policy: our own scripts only; connections to us and to the agents' phone WebSocket
    (Asterisk's HTTP server, HELPLINE_PHONE_WS_URL), which is another origin."""
    phone = urlsplit(settings.phone_ws_url)
    phone_origin = f"{phone.scheme}://{phone.netloc}" if phone.scheme in ("ws", "wss") and phone.netloc else ""
    connect = " ".join(filter(None, ("'self'", phone_origin)))
    return ("default-src 'self'; script-src 'self'; "
            f"connect-src {connect}; media-src 'self' blob:; img-src 'self' data:; "
            "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'")


def _add_headers(response: Response) -> Response:
    headers = response.headers
    # From the settings of now: a test or an operator may replace them after the app is built.
    headers.setdefault("Content-Security-Policy", content_security_policy(current_app.config["HELPLINE_SETTINGS"]))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
