"""The SMS sender against a real local HTTP gateway: back-off, the dead letter, one send per row."""
# ruff: noqa: F811  (the fixtures come from tests/sms_fixtures.py)

from __future__ import annotations

import dataclasses
import logging
import threading
from datetime import UTC, datetime, timedelta

from models.core.db import Database
from models.core.settings import Secret, get_settings
from models.notifications.monitor import health, retry
from models.notifications.outbox import OutboxMessage, OutboxStatus, queue_sms
from models.notifications.sender import send_due_sms
from tests.factories import next_mobile
from tests.sms_fixtures import sms_database_url, sms_db, sms_gateway  # noqa: F401  (fixtures)

T0 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
TEXT = "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक 2600012349 दर्ज हो गई है।"
DLT_ID = "1107170000000000001"


def gateway_settings(url: str, **overrides):
    values = {"sms_url": url, "sms_key": Secret("test-key-9"), "sms_sender": "CMHLCG",
              "sms_template_ids": (("registered.hi", DLT_ID),), "sms_backoff_s": 60, "sms_max_attempts": 5}
    return dataclasses.replace(get_settings(), **{**values, **overrides})


def queue(database: Database, body: str = TEXT, mobile: str | None = None) -> tuple[int, str]:
    mobile = mobile or next_mobile()
    with database.unit_of_work() as uow:
        message = queue_sms(session=uow.session, mobile=mobile, body=body)
        uow.commit()
        return message.id, mobile


def row(database: Database, message_id: int) -> OutboxMessage:
    """The row as it is now, detached from its session so it can be read after the unit of work."""
    with database.unit_of_work() as uow:
        message = uow.session.get(OutboxMessage, message_id)
        uow.session.expunge(message)
        return message


def test_sent_on_the_third_try_after_backing_off(sms_db, sms_gateway):
    sms_gateway.statuses = [503, 503, 202]
    settings = gateway_settings(sms_gateway.url)
    message_id, mobile = queue(sms_db)

    def send(at):
        return send_due_sms(database=sms_db, now=at, settings=settings)

    assert send(T0) == 1
    first = row(sms_db, message_id)
    assert (first.status, first.attempts) == (OutboxStatus.FAILED, 1)
    assert first.next_attempt_at == T0 + timedelta(seconds=60)
    assert first.last_error.startswith("HTTP 503") and "gateway busy" in first.last_error
    assert send(T0 + timedelta(seconds=59)) == 0  # not before its time
    assert send(T0 + timedelta(seconds=60)) == 1
    second = row(sms_db, message_id)
    assert second.status == OutboxStatus.FAILED  # and now it waits twice as long
    assert second.next_attempt_at == T0 + timedelta(seconds=60 + 120)
    assert send(T0 + timedelta(seconds=179)) == 0
    assert len(sms_gateway.received) == 2
    assert send(T0 + timedelta(seconds=180)) == 1
    sent = row(sms_db, message_id)
    assert (sent.status, sent.attempts, sent.sent_at) == (OutboxStatus.SENT, 3, T0 + timedelta(seconds=180))
    assert send(T0 + timedelta(days=1)) == 0  # sent once, never again
    assert len(sms_gateway.received) == 3
    request = sms_gateway.received[-1]
    assert request.body == {"to": f"+91{mobile}", "text": TEXT, "template_id": DLT_ID, "sender": "CMHLCG"}
    assert request.headers["Authorization"] == "Bearer test-key-9"
    assert request.headers["Idempotency-Key"] == f"sms-outbox-{message_id}"
    with sms_db.unit_of_work() as uow:
        assert health(session=uow.session).ok


def test_always_refused_is_dead_after_the_last_try_and_can_be_retried(sms_db, sms_gateway):
    sms_gateway.statuses = [500]
    settings = gateway_settings(sms_gateway.url, sms_max_attempts=3)
    message_id, _ = queue(sms_db)
    for day in range(5):
        send_due_sms(database=sms_db, now=T0 + timedelta(days=day), settings=settings)
    dead = row(sms_db, message_id)
    assert (dead.status, dead.attempts, dead.dead_at) == (OutboxStatus.DEAD, 3, T0 + timedelta(days=2))
    assert dead.last_error.startswith("HTTP 500")
    assert len(sms_gateway.received) == 3  # nothing after it died
    with sms_db.unit_of_work() as uow:
        seen = health(session=uow.session)
        assert not seen.ok and seen.counts["dead"] == 1 and seen.last_error.startswith("HTTP 500")
        retry(session=uow.session, message=uow.session.get(OutboxMessage, message_id),
              now=T0 + timedelta(days=6))
        uow.commit()
    sms_gateway.statuses = [200]  # the gateway mends
    assert send_due_sms(database=sms_db, now=T0 + timedelta(days=6), settings=settings) == 1
    assert row(sms_db, message_id).status == OutboxStatus.SENT
    with sms_db.unit_of_work() as uow:
        assert health(session=uow.session).ok


def test_an_unreachable_or_misspelt_gateway_is_a_refusal_with_the_reason(sms_db):
    for url, reason in [("http://127.0.0.1:9/send", "refused"),  # the discard port: nobody listens
                        ("127.0.0.1:9/send", "unknown url type")]:  # no scheme
        message_id, _ = queue(sms_db)
        assert send_due_sms(database=sms_db, now=T0, settings=gateway_settings(url, sms_timeout_s=2)) == 1
        refused = row(sms_db, message_id)
        assert refused.status == OutboxStatus.FAILED and reason in refused.last_error.lower()


def test_no_dlt_template_id_is_a_failure_that_names_the_setting(sms_db, sms_gateway):
    settings = gateway_settings(sms_gateway.url, sms_template_ids=())
    message_id, _ = queue(sms_db)
    send_due_sms(database=sms_db, now=T0, settings=settings)
    refused = row(sms_db, message_id)
    assert refused.status == OutboxStatus.FAILED
    assert "registered.hi" in refused.last_error and "HELPLINE_SMS_TEMPLATE_IDS" in refused.last_error
    assert sms_gateway.received == []


def test_each_kind_of_message_goes_under_its_own_template_id(sms_db, sms_gateway):
    settings = gateway_settings(sms_gateway.url, sms_template_ids=(("interim.hi", "1107000000000000004"),))
    with sms_db.unit_of_work() as uow:  # as an officer's interim reply is queued
        interim = queue_sms(session=uow.session, mobile=next_mobile(), kind="interim",
                            body="मुख्यमंत्री हेल्पलाइन 2600012349: पटवारी कल स्थल निरीक्षण करेंगे").id
        unknown = queue_sms(session=uow.session, mobile=next_mobile(), kind="festival_greeting", body="x").id
        uow.commit()
    assert send_due_sms(database=sms_db, now=T0, settings=settings) == 2
    assert row(sms_db, interim).status == OutboxStatus.SENT
    assert sms_gateway.received[0].body["template_id"] == "1107000000000000004"
    assert "no DLT template id for festival_greeting.hi" in row(sms_db, unknown).last_error
    assert len(sms_gateway.received) == 1


def test_with_no_gateway_configured_the_message_is_logged(sms_db, caplog):
    settings = dataclasses.replace(get_settings(), sms_url="")
    message_id, mobile = queue(sms_db)
    with caplog.at_level(logging.INFO, logger="models.notifications.gateway"):
        assert send_due_sms(database=sms_db, now=T0, settings=settings) == 1
    assert row(sms_db, message_id).status == OutboxStatus.SENT
    assert any(mobile in r.getMessage() and TEXT in r.getMessage() for r in caplog.records)


def test_two_workers_never_send_a_row_twice(sms_db, sms_database_url, sms_gateway, backend):
    sms_gateway.delay_s = 0.02  # slow enough that the two workers overlap
    settings = gateway_settings(sms_gateway.url)
    bodies = [f"{TEXT} #{n}" for n in range(30)]
    for body in bodies:
        queue(sms_db, body=body)
    workers = [Database(sms_database_url) for _ in range(2)]
    tried = [0, 0]
    start = threading.Barrier(2)

    def work(index: int) -> None:
        start.wait()
        tried[index] = send_due_sms(database=workers[index], now=T0, settings=settings)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for database in workers:
        database.dispose()
    assert sorted(sms_gateway.texts()) == sorted(bodies)  # each row exactly once
    assert sum(tried) == 30, tried
    if backend == "postgresql":  # rows claimed side by side (SQLite lets one writer in at a time)
        assert min(tried) > 0, tried
    with sms_db.unit_of_work() as uow:
        assert health(session=uow.session).counts["sent"] == 30


def test_helpline_worker_once_sends_through_the_gateway_the_environment_names(
        sms_db, sms_database_url, sms_gateway, monkeypatch, capsys):
    import argparse

    from scripts.worker import cli

    for name, value in {"HELPLINE_DATABASE_URL": sms_database_url, "HELPLINE_SMS_URL": sms_gateway.url,
                        "HELPLINE_SMS_KEY": "from-env", "HELPLINE_SMS_SENDER": "CGCMHL",
                        "HELPLINE_SMS_TEMPLATE_IDS": f"registered.en=1,registered.hi={DLT_ID}"}.items():
        monkeypatch.setenv(name, value)
    message_id, _ = queue(sms_db)
    assert cli(argparse.Namespace(once=True, now="2026-12-01T10:30+05:30")) == 0
    assert "sms-sender: 1" in capsys.readouterr().out
    assert row(sms_db, message_id).sent_at == T0
    request = sms_gateway.received[-1]
    assert request.headers["Authorization"] == "Bearer from-env"
    assert (request.body["sender"], request.body["template_id"]) == ("CGCMHL", DLT_ID)


def test_two_worker_processes_never_send_a_row_twice(sms_db, sms_database_url, sms_gateway):
    """Two `helpline worker --once` processes side by side, as two machines would run them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    sms_gateway.delay_s = 0.05
    bodies = [f"{TEXT} #{n}" for n in range(20)]
    for body in bodies:
        queue(sms_db, body=body)
    env = dict(os.environ, HELPLINE_DATABASE_URL=sms_database_url, HELPLINE_SMS_URL=sms_gateway.url,
               HELPLINE_SMS_TEMPLATE_IDS=f"registered.hi={DLT_ID}")
    helpline = Path(sys.executable).with_name("helpline")
    workers = [subprocess.Popen([str(helpline), "worker", "--once", "--now", "2026-12-01T10:30+05:30"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs
    sent = [int(out.split("sms-sender:")[1].split()[0]) for out, _ in outputs]
    assert sum(sent) == 20, outputs
    assert sorted(sms_gateway.texts()) == sorted(bodies)  # each row exactly once


def test_an_adapter_that_breaks_counts_as_a_refused_try(sms_db):
    class Broken:
        name = "broken"

        def send(self, sms):
            raise RuntimeError("adapter bug")

    message_id, _ = queue(sms_db)
    settings = gateway_settings("http://unused", sms_max_attempts=1)
    assert send_due_sms(database=sms_db, now=T0, settings=settings, gateway=Broken()) == 1
    dead = row(sms_db, message_id)
    assert (dead.status, dead.last_error) == (OutboxStatus.DEAD, "RuntimeError: adapter bug")
