"""The SMS the citizens' channels queue go out under DLT template ids of their own kinds, which
the outbox's administrators see as known keys."""

from __future__ import annotations

import dataclasses

from models.channels import codes, whatsapp_cloud
from models.core.settings import get_settings
from models.notifications.templates import OTHER_KINDS, template_id, unknown_template_keys


def test_the_channels_sms_kinds_are_known_template_keys():
    assert {codes.SMS_KIND, whatsapp_cloud.SMS_KIND} <= set(OTHER_KINDS)
    settings = dataclasses.replace(get_settings(), sms_template_ids=(
        ("portal_code.hi", "1107000000000000101"), ("whatsapp_reply.en", "1107000000000000102"),
        ("portal_cod.hi", "5")))
    assert unknown_template_keys(settings) == ["portal_cod.hi"]
    assert template_id(settings, codes.SMS_KIND, "hi") == "1107000000000000101"
