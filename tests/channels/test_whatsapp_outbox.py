"""Administrators see the WhatsApp replies (a dead one with its error, in Devanagari) and retry a
dead one through a CSRF-protected form; other roles may not."""

from __future__ import annotations

import re

from models.channels.whatsapp_messages import Delivery, WhatsAppMessage, queue_reply
from models.core.base import utcnow
from models.core.db import unit_of_work
from tests.desk.conftest import csrf_token, log_in
from tests.factories import next_mobile


def _dead_reply() -> int:
    with unit_of_work() as uow:
        message = queue_reply(session=uow.session, wa_id="91" + next_mobile(), body="शिकायत दर्ज हो गई")
        message.status, message.attempts, message.dead_at = Delivery.DEAD, 6, utcnow()
        message.last_error = "HTTP 401: invalid OAuth access token"
        uow.commit()
        return message.id


def test_an_admin_sees_a_dead_reply_and_retries_it(app):
    dead = _dead_reply()
    admin = log_in(app.test_client(), "admin")
    page = admin.get("/admin/whatsapp?status=dead&lang=hi")
    assert page.status_code == 200 and "व्हाट्सएप उत्तर" in page.text
    row = re.search(rf'<tr data-whatsapp="{dead}" data-status="dead">(.*?)</tr>', page.text, re.DOTALL)
    assert row and "शिकायत दर्ज हो गई" in row.group(1) and "invalid OAuth access token" in row.group(1)
    assert 'id="adapter-sms"' in page.text  # no Cloud API in the tests: replies go out as SMS
    assert 'href="/admin/whatsapp"' in admin.get("/admin/users").text  # in the admin's menu
    forged = admin.post(f"/admin/whatsapp/{dead}/retry", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    token = csrf_token(page.text)
    assert admin.post(f"/admin/whatsapp/{dead}/retry", data={"csrf_token": token}).status_code == 302
    with unit_of_work() as uow:
        message = uow.session.get(WhatsAppMessage, dead)
        assert (message.status, message.attempts, message.dead_at) == (Delivery.QUEUED, 0, None)
        assert message.last_error.startswith("HTTP 401")
    again = admin.post(f"/admin/whatsapp/{dead}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "केवल अंतिम रूप से विफल संदेश, या वह जिसका परिणाम अज्ञात है, पुनः भेजा जा सकता है।" in again.text  # no longer dead
    assert admin.post("/admin/whatsapp/999999999/retry", data={"csrf_token": token}).status_code == 404


def test_other_roles_may_not(app):
    agent = log_in(app.test_client(), "agent1")
    assert agent.get("/admin/whatsapp").status_code == 403
    assert 'href="/admin/whatsapp"' not in agent.get("/agent/").text
