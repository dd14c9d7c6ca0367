"""Every event the citizen hears about has a Hindi and an English text, under its DLT template."""

from __future__ import annotations

import dataclasses

import pytest

from models.core.settings import get_settings
from models.notifications.outbox import OutboxStatus, queue_complaint_sms
from models.notifications.templates import TEXTS, SmsEvent, render, template_id, unknown_template_keys
from models.reference.calendar import to_local
from tests.factories import make_complaint


def test_every_event_has_both_languages_naming_the_complaint():
    for event in SmsEvent:
        hindi, english = TEXTS[(event, "hi")], TEXTS[(event, "en")]
        assert "{id}" in hindi and "{id}" in english
        assert any("\u0900" <= ch <= "\u097f" for ch in hindi)  # Devanagari
        assert hindi.startswith("मुख्यमंत्री हेल्पलाइन") and english.startswith("CM Helpline")
        assert ("{due}" in hindi) == ("{due}" in english)
    assert render("escalated", "en", id="2600012349", due="05-12-2026").endswith("due by 05-12-2026.")
    # The interim reply carries the officer's words, as models/complaints/notes.py writes it.
    assert render(SmsEvent.INTERIM_REPLY, "hi", id="2600012349", text="कल निरीक्षण") == \
        "मुख्यमंत्री हेल्पलाइन 2600012349: कल निरीक्षण"


def test_an_event_sms_is_queued_in_the_complaints_language(session):
    complaint = make_complaint(session)
    message = queue_complaint_sms(session=session, complaint=complaint, event=SmsEvent.REOPENED)
    due = to_local(complaint.due_at).strftime("%d-%m-%Y")
    assert message.body == f"मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {complaint.public_id} पुनः खोली गई है। " \
                           f"नई अंतिम तिथि {due}।"
    assert (message.kind, message.language, message.mobile) == ("reopened", "hi", complaint.mobile)
    session.flush()
    session.refresh(message)
    assert message.status == OutboxStatus.QUEUED and "पुनः खोली" in message.body  # stored intact


def test_template_ids_come_from_the_settings_and_misspelt_keys_are_named(monkeypatch):
    monkeypatch.setenv("HELPLINE_SMS_TEMPLATE_IDS", "closed.hi=1107000000000000009, closd.en=5")
    settings = get_settings()
    assert template_id(settings, SmsEvent.CLOSED, "hi") == "1107000000000000009"
    assert template_id(settings, "closed", "en") == ""
    assert unknown_template_keys(settings) == ["closd.en"]
    assert unknown_template_keys(dataclasses.replace(settings, sms_template_ids=())) == []


def test_a_malformed_template_id_setting_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("HELPLINE_SMS_TEMPLATE_IDS", "registered.hi=1107000000000000001,closed.hi")
    with pytest.raises(ValueError, match="HELPLINE_SMS_TEMPLATE_IDS.*closed.hi"):
        get_settings()
