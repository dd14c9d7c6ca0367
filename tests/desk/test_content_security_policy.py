"""Every response carries a Content-Security-Policy that allows no inline script, and no template
has one (no <script> without src, no on…= handler, no javascript: link)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from agent_desk.headers import content_security_policy
from models.core.settings import get_settings
from tests.desk.test_route_matrix import _client, _requests, _send

TEMPLATES = Path(__file__).resolve().parents[2] / "agent_desk" / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def test_no_template_has_an_inline_script():
    found = []
    templates = sorted(TEMPLATES.rglob("*.html"))
    for path in templates:
        text = path.read_text()
        for attributes in SCRIPT_TAG.findall(text):
            if "src=" not in attributes:
                found.append((path.name, f"<script{attributes}>"))
        found += [(path.name, m.group(0)) for m in HANDLER.finditer(text)]
        found += [(path.name, "javascript:") for _ in re.finditer(r"javascript:", text, re.IGNORECASE)]
    assert len(templates) > 40 and not found, found


def test_the_policy_forbids_inline_scripts_and_allows_the_phone_websocket():
    policy = content_security_policy(get_settings())
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self' ws://127.0.0.1:8088"  # HELPLINE_PHONE_WS_URL's default
    assert directives["frame-ancestors"] == "'none'" and directives["media-src"] == "'self' blob:"
    deployed = dataclasses.replace(get_settings(), phone_ws_url="wss://pbx.cg.gov.in:8089/ws")
    assert "connect-src 'self' wss://pbx.cg.gov.in:8089;" in content_security_policy(deployed)


def test_every_page_sends_the_policy(app):
    """Every GET route of the URL map, anonymously and as four roles, whatever the status."""
    expected = content_security_policy(app.config["HELPLINE_SETTINGS"])
    missing, seen = [], 0
    for username in (None, "agent1", "supervisor", "tehsildar.abhanpur", "admin"):
        client, _token = _client(app, username)
        for _endpoint, method, url in _requests(app):
            if method != "GET":
                continue
            response = client.get(url, buffered=False)
            seen += 1
            if response.headers.get("Content-Security-Policy") != expected or \
                    response.headers.get("X-Content-Type-Options") != "nosniff":
                missing.append((username, url, response.status_code))
            response.close()
    assert seen > 300 and not missing, missing
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          phone_ws_url="wss://pbx.cg.gov.in:8089/ws")
    assert "wss://pbx.cg.gov.in:8089" in app.test_client().get("/login").headers["Content-Security-Policy"]


def test_the_pages_scripts_still_get_their_settings_under_the_policy(browser, live_server):
    """In chromium, which enforces the policy: data-* settings reach the static scripts."""
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.desk.test_browser import log_in

    log_in(browser, live_server, "agent1")
    assert browser.execute_script("return window.DESK.events") == "/agent/events"
    browser.get(f"{live_server}/agent/register")
    assert browser.execute_script("return [window.DESK.lang, window.DESK.due]") == ["en", "due"]
    browser.execute_script("document.body.insertAdjacentHTML('beforeend', "
                           "'<img id=probe src=/nothing onerror=\"window.injected = 1\">'); "
                           "document.getElementById('probe').addEventListener('error', () => window.errored = 1)")
    WebDriverWait(browser, 5).until(lambda b: b.execute_script("return window.errored === 1"))  # it fired...
    assert browser.execute_script("return window.injected === undefined")  # ...but not the injected handler
