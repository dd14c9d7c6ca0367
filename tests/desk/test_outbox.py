"""Administrators see the SMS outbox with the gateway's last error and retry a dead message; a
failing gateway shows on /healthz. On the SMS tests' own database, against a real local gateway."""
# ruff: noqa: F811  (the fixtures come from tests/sms_fixtures.py)

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest

from agent_desk import create_app
from models.core.settings import Secret, get_settings
from models.notifications.outbox import OutboxMessage, OutboxStatus, queue_sms
from models.notifications.sender import send_due_sms
from tests.desk.conftest import csrf_token, log_in
from tests.factories import next_mobile
from tests.sms_fixtures import sms_database_url, sms_db, sms_gateway  # noqa: F401  (fixtures)

T0 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
TEXT = "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक 2600012349 बंद कर दी गई है। धन्यवाद।"


@pytest.fixture
def gateway_settings(sms_gateway, sms_database_url):
    return dataclasses.replace(get_settings(), database_url=sms_database_url, sms_url=sms_gateway.url,
                               sms_key=Secret("k"), sms_template_ids=(("closed.hi", "1107000000000000008"),),
                               sms_max_attempts=2, sms_backoff_s=60, secret_key=Secret("outbox-tests"))


@pytest.fixture
def outbox_app(gateway_settings):
    return create_app({"TESTING": True}, settings=gateway_settings)


@pytest.fixture
def dead_message(sms_db, sms_gateway, gateway_settings) -> int:
    """A message the gateway refused on both tries allowed."""
    sms_gateway.statuses = [500]
    with sms_db.unit_of_work() as uow:
        message = queue_sms(session=uow.session, mobile=next_mobile(), body=TEXT, kind="closed")
        uow.commit()
        message_id = message.id
    for hours in (0, 1):
        send_due_sms(database=sms_db, now=T0 + timedelta(hours=hours), settings=gateway_settings)
    return message_id


def menu(page: str) -> str:
    """The menu bar of a desk page."""
    match = re.search(r'<nav class="menu">(.*?)</nav>', page, re.DOTALL)
    assert match, "the page has no menu"
    return match.group(1)


def status_of(database, message_id: int) -> OutboxStatus:
    with database.unit_of_work() as uow:
        return uow.session.get(OutboxMessage, message_id).status


def test_a_dead_message_is_shown_to_admins_in_hindi_and_retried(outbox_app, sms_db, dead_message):
    admin = log_in(outbox_app.test_client(), "admin")
    page = admin.get("/admin/outbox?status=dead&lang=hi")
    assert page.status_code == 200
    html = page.text
    assert 'lang="hi"' in html and "एसएमएस आउटबॉक्स" in html
    assert f'data-sms="{dead_message}" data-status="dead"' in html
    assert TEXT in html and "HTTP 500" in html and "gateway busy" in html  # the gateway's own words
    assert "अंतिम रूप से विफल" in html and "पुनः प्रयास करें" in html  # status and button in Hindi
    assert admin.get("/admin/outbox?status=sent").text.count(f'data-sms="{dead_message}"') == 0
    assert 'href="/admin/outbox"' in menu(admin.get("/admin/users?lang=en").text)

    forged = admin.post(f"/admin/outbox/{dead_message}/retry", data={"csrf_token": "forged"})
    assert forged.status_code == 400 and status_of(sms_db, dead_message) == OutboxStatus.DEAD
    token = csrf_token(html)
    retried = admin.post(f"/admin/outbox/{dead_message}/retry", data={"csrf_token": token},
                         follow_redirects=True)
    assert retried.status_code == 200 and status_of(sms_db, dead_message) == OutboxStatus.QUEUED
    again = admin.post(f"/admin/outbox/{dead_message}/retry?lang=en", data={"csrf_token": token},
                       follow_redirects=True)
    assert "Only a dead message, or one whose outcome is unknown, can be retried." in again.text
    assert admin.post("/admin/outbox/999999/retry", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("username", ["agent1", "supervisor", "collector.raipur"])
def test_only_admins_see_or_retry_the_outbox(outbox_app, dead_message, sms_db, username):
    client = log_in(outbox_app.test_client(), username)
    assert client.get("/admin/outbox").status_code == 403
    token = csrf_token(client.get("/login").text)
    assert client.post(f"/admin/outbox/{dead_message}/retry", data={"csrf_token": token}).status_code == 403
    assert status_of(sms_db, dead_message) == OutboxStatus.DEAD
    assert "/admin/outbox" not in menu(client.get("/", follow_redirects=True).text)
    assert outbox_app.test_client().get("/admin/outbox").status_code in (302, 401)  # not logged in


def test_a_failing_gateway_shows_on_healthz_until_it_takes_messages_again(
        outbox_app, sms_db, sms_gateway, gateway_settings, dead_message):
    client = outbox_app.test_client()
    response = client.get("/healthz")
    body = response.json
    assert response.status_code == 200  # the desk still serves
    assert body["status"] == "degraded" and body["database"]["ok"] is True
    assert body["sms"]["ok"] is False and body["sms"]["dead"] == 1 and body["sms"]["gateway"] == "http"
    assert body["sms"]["last_error"].startswith("HTTP 500")
    admin = log_in(outbox_app.test_client(), "admin")
    token = csrf_token(admin.get("/admin/outbox").text)
    admin.post(f"/admin/outbox/{dead_message}/retry", data={"csrf_token": token})
    sms_gateway.statuses = [200]
    assert send_due_sms(database=sms_db, now=T0 + timedelta(days=1), settings=gateway_settings) == 1
    body = client.get("/healthz").json
    assert body["status"] == "ok" and body["sms"]["ok"] is True
    assert (body["sms"]["sent"], body["sms"]["dead"]) == (1, 0)


def test_with_no_gateway_configured_the_screen_and_healthz_say_so(gateway_settings, sms_db):
    app = create_app({"TESTING": True}, settings=dataclasses.replace(gateway_settings, sms_url=""))
    assert app.test_client().get("/healthz").json["sms"]["gateway"] == "log"
    page = log_in(app.test_client(), "admin").get("/admin/outbox?lang=en").text
    assert "No SMS gateway is configured (HELPLINE_SMS_URL)" in page


@pytest.fixture
def outbox_server(outbox_app):
    """The desk on the SMS tests' database, on a free loopback port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, outbox_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="outbox-live", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_an_admin_retries_a_dead_message_in_the_browser(browser, outbox_server, dead_message, sms_db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.desk.conftest import browser_log_in

    browser_log_in(browser, outbox_server, "admin")
    browser.find_element(By.LINK_TEXT, "एसएमएस आउटबॉक्स").click()  # from the menu
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-sms="{dead_message}"]')
    assert TEXT in row.text and "अंतिम रूप से विफल" in row.text and "HTTP 500" in row.text
    row.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".flash.ok"), "संदेश फिर से कतार में है"))
    assert status_of(sms_db, dead_message) == OutboxStatus.QUEUED
    assert not browser.find_elements(By.CSS_SELECTOR, f'tr[data-sms="{dead_message}"]')  # gone from "dead"


# A worker whose gateway took the message, killed before it could record the answer.
DYING_SENDER = """
import os, signal, sys
from datetime import datetime
from models.core.db import Database
from models.core.settings import get_settings
from models.notifications.gateway import HttpGateway
from models.notifications.sender import send_due_sms

class DiesOnceSent(HttpGateway):
    def send(self, sms):
        super().send(sms)
        os.kill(os.getpid(), signal.SIGKILL)

settings = get_settings()
send_due_sms(database=Database(settings.database_url), now=datetime.fromisoformat(sys.argv[1]),
             gateway=DiesOnceSent(settings.sms_url), settings=settings)
"""


@pytest.mark.slow
def test_an_sms_whose_worker_died_at_the_gateway_is_shown_unknown_and_not_sent_again(
        outbox_app, sms_db, sms_database_url, sms_gateway, gateway_settings):
    import os
    import signal
    import subprocess
    import sys

    from models.core.base import utcnow

    tried_at = utcnow() - timedelta(hours=2)  # over an hour ago: its outcome is now unknown
    with sms_db.unit_of_work() as uow:
        message = queue_sms(session=uow.session, mobile=next_mobile(), body=TEXT, kind="closed")
        message.next_attempt_at = tried_at
        uow.commit()
        message_id = message.id
    env = dict(os.environ, HELPLINE_DATABASE_URL=sms_database_url, HELPLINE_SMS_URL=sms_gateway.url,
               HELPLINE_SMS_TEMPLATE_IDS="closed.hi=1107000000000000008")
    died = subprocess.run([sys.executable, "-c", DYING_SENDER, tried_at.isoformat()], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert died.returncode == -signal.SIGKILL, died.stderr
    assert len(sms_gateway.received) == 1 and status_of(sms_db, message_id) == OutboxStatus.SENDING
    assert send_due_sms(database=sms_db, settings=gateway_settings) == 0  # the restarted worker
    assert len(sms_gateway.received) == 1  # not sent twice

    health = outbox_app.test_client().get("/healthz").json["sms"]
    assert (health["ok"], health["sending"], health["unknown"]) == (False, 1, 1)
    admin = log_in(outbox_app.test_client(), "admin")
    page = admin.get("/admin/outbox?lang=hi").text
    assert f'data-sms="{message_id}" data-status="sending"' in page
    assert 'data-outcome="unknown">परिणाम अज्ञात' in page and 'id="outcome-unknown"' in page
    admin.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf_token(page)})  # checked: not there
    assert status_of(sms_db, message_id) == OutboxStatus.QUEUED
    assert send_due_sms(database=sms_db, settings=gateway_settings) == 1
    assert len(sms_gateway.received) == 2 and status_of(sms_db, message_id) == OutboxStatus.SENT
