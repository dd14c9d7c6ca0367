"""Agents' phones: who may have one, the endpoint's name, the digest kept instead of the password."""

from __future__ import annotations

import hashlib

import pytest

from ivr.ari.phones import phone_objects
from models.people import phones
from models.people.users import add_user
from tests.factories import next_mobile


def _user(session, role="agent", username=None):
    return add_user(session=session, username=username or f"a{next_mobile()}", password="long-enough-1",
                    role=role, full_name="रमेश साहू")


def test_a_phone_keeps_the_digest_not_the_password(session):
    user = _user(session)
    issued = phones.issue_phone(session=session, user=user, kind="softphone")
    phone = issued.phone
    expected = hashlib.md5(f"{phone.endpoint}:{phones.REALM}:{issued.password}".encode()).hexdigest()
    assert phone.md5_cred == expected and issued.password not in phone.md5_cred
    assert len(issued.password) >= 16 and user.phone_interface == f"PJSIP/{phone.endpoint}"
    assert phone.provisioned_at is None


def test_a_new_password_replaces_the_old_one_and_needs_provisioning_again(session):
    user = _user(session)
    first = phones.issue_phone(session=session, user=user, kind="softphone")
    phones.mark_provisioned(session=session, phone=first.phone)
    old_cred = first.phone.md5_cred
    second = phones.issue_phone(session=session, user=user, kind="browser")
    assert second.phone.id == first.phone.id and second.phone.kind is phones.PhoneKind.BROWSER
    assert second.phone.md5_cred != old_cred and second.phone.provisioned_at is None
    assert second.password != first.password


def test_only_agents_and_supervisors_get_phones(session):
    officer = _user(session, role="officer")
    with pytest.raises(phones.NotAnAgent):
        phones.issue_phone(session=session, user=officer, kind="softphone")


def test_the_endpoint_name_is_ascii_and_unique_by_id(session):
    user = _user(session, username="रवि.Sahu_01")
    assert phones.endpoint_name(user) == f"sahu01-{user.id}"
    hindi_only = _user(session, username="रवि")
    assert phones.endpoint_name(hindi_only) == f"agent-{hindi_only.id}"


def test_browser_and_softphone_objects_differ_only_where_they_must():
    soft = phone_objects(endpoint="a-1", kind="softphone", realm="helpline", md5_cred="0" * 32)
    web = phone_objects(endpoint="a-1", kind="browser", realm="helpline", md5_cred="0" * 32)
    assert soft["auth"]["password_digest"] == "MD5:" + "0" * 32 and "password" not in soft["auth"]
    assert web["endpoint"]["webrtc"] == "yes" and web["endpoint"]["transport"] == "transport-ws"
    assert soft["endpoint"]["transport"] == "transport-sip" and "webrtc" not in soft["endpoint"]
    assert list(web) == ["auth", "aor", "endpoint"]  # the endpoint names the other two
