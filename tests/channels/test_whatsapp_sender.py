# ruff: noqa: F811  (the recording HTTP server comes from tests/sms_fixtures.py)
"""Replies on WhatsApp go out through the Cloud API when it is configured (a stand-in server that
records what it is asked), with the SMS rules for retries and the dead letter; without it they
become SMS in the outbox."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from models.channels.whatsapp_messages import Delivery, WhatsAppMessage, queue_reply
from models.channels.whatsapp_sender import send_due_whatsapp
from models.core.base import utcnow
from models.core.db import Database, unit_of_work
from models.core.settings import Secret, get_settings
from tests.channels.conftest import last_sms
from tests.factories import next_mobile
from tests.sms_fixtures import sms_gateway  # noqa: F401  (the recording HTTP server)


def _queued(wa_id: str, body: str, at) -> int:
    with unit_of_work() as uow:
        message = queue_reply(session=uow.session, wa_id=wa_id, body=body, at=at)
        uow.commit()
        return message.id


def _row(message_id: int) -> WhatsAppMessage:
    with unit_of_work() as uow:
        row = uow.session.scalars(select(WhatsAppMessage).where(WhatsAppMessage.id == message_id)).one()
        uow.session.expunge(row)
        return row


def test_the_cloud_api_gets_the_reply_and_a_refusal_backs_off_then_dies(app, channels_database_url, sms_gateway):
    database = Database(channels_database_url)
    settings = dataclasses.replace(get_settings(), whatsapp_token=Secret("wa-token"),
                                   whatsapp_phone_number_id="PNID1",
                                   whatsapp_api_url=sms_gateway.url.rsplit("/", 1)[0] + "/v21.0",
                                   sms_max_attempts=2, sms_backoff_s=60)
    now = utcnow()
    wa_id = "91" + next_mobile()
    sent_id = _queued(wa_id, "आपकी शिकायत दर्ज हो गई", now)
    send_due_whatsapp(database=database, now=now, settings=settings)
    mine = [r for r in sms_gateway.received if r.body.get("to") == wa_id]
    assert len(mine) == 1 and mine[0].path == "/v21.0/PNID1/messages"
    assert mine[0].headers["Authorization"] == "Bearer wa-token"
    assert mine[0].body["text"]["body"] == "आपकी शिकायत दर्ज हो गई" and mine[0].body["type"] == "text"
    assert _row(sent_id).status is Delivery.SENT and _row(sent_id).sent_as == "cloud_api"

    sms_gateway.statuses = [503]
    failing = _queued(wa_id, "दूसरा संदेश", now)
    send_due_whatsapp(database=database, now=now, settings=settings)
    row = _row(failing)
    assert row.status is Delivery.FAILED and row.attempts == 1 and "HTTP 503" in row.last_error
    send_due_whatsapp(database=database, now=now + timedelta(seconds=59), settings=settings)
    assert _row(failing).attempts == 1  # not before its back-off
    send_due_whatsapp(database=database, now=now + timedelta(seconds=60), settings=settings)
    assert _row(failing).status is Delivery.DEAD and _row(failing).attempts == 2
    database.dispose()


def test_without_the_cloud_api_a_reply_becomes_an_sms(app, channels_database_url):
    database = Database(channels_database_url)
    settings = dataclasses.replace(get_settings(), whatsapp_token=Secret(""), whatsapp_phone_number_id="")
    mobile = next_mobile()
    now = utcnow()
    message_id = _queued("91" + mobile, "शिकायत 2600000018: दर्ज", now)
    send_due_whatsapp(database=database, now=now, settings=settings)
    assert _row(message_id).status is Delivery.SENT and _row(message_id).sent_as == "sms"
    sms = last_sms(mobile, "whatsapp_reply")
    assert sms.body == "शिकायत 2600000018: दर्ज" and sms.language == "hi"
    foreign = _queued("447700900123", "hello", now)
    send_due_whatsapp(database=database, now=now, settings=settings)
    assert _row(foreign).status is Delivery.FAILED and "not an Indian mobile" in _row(foreign).last_error
    database.dispose()


def test_a_reply_the_cloud_api_took_as_the_worker_died_is_not_sent_again(app, channels_database_url, sms_gateway):
    from models.channels import whatsapp_monitor
    from models.channels.whatsapp_cloud import CloudApi

    database = Database(channels_database_url)
    settings = dataclasses.replace(get_settings(), whatsapp_token=Secret("wa-token"),
                                   whatsapp_phone_number_id="PNID1",
                                   whatsapp_api_url=sms_gateway.url.rsplit("/", 1)[0] + "/v21.0")
    now, wa_id = utcnow(), "91" + next_mobile()

    class DiesOnceTaken(CloudApi):
        def send(self, *, session, message):
            answer = super().send(session=session, message=message)
            if message.wa_id == wa_id:
                raise SystemExit("the worker dies here: nothing after the Cloud API's answer runs")
            return answer

    message_id = _queued(wa_id, "आपकी शिकायत दर्ज हो गई", now)
    with pytest.raises(SystemExit):
        send_due_whatsapp(database=database, now=now, settings=settings, adapter=DiesOnceTaken(settings))
    send_due_whatsapp(database=database, now=now + timedelta(minutes=5), settings=settings)  # restarted
    assert len([r for r in sms_gateway.received if r.body.get("to") == wa_id]) == 1
    assert _row(message_id).status is Delivery.SENDING
    later = now + timedelta(hours=2)  # its outcome is unknown now; an administrator sends it again
    with unit_of_work() as uow:
        assert whatsapp_monitor.outcome_unknown(uow.session.get(WhatsAppMessage, message_id), later)
        whatsapp_monitor.retry(session=uow.session, message_id=message_id, now=later)
        uow.commit()
    send_due_whatsapp(database=database, now=later, settings=settings)
    assert len([r for r in sms_gateway.received if r.body.get("to") == wa_id]) == 2
    assert _row(message_id).status is Delivery.SENT
    database.dispose()
