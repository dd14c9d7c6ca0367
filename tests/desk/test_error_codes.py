"""Every domain error a screen shows carries a stable `code` (and the bound it broke), so the desk
can say it in Hindi without reading the English text."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from models.complaints import service as complaints
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.routing import NoOfficerConfigured, UnknownCategory, route
from models.complaints.status import (
    Action,
    ComplaintStatus,
    IllegalTransition,
    next_status,
)
from models.core.base import utcnow
from models.jandarshan.hearings import create_hearing
from models.jandarshan.import_files import UnreadableFile, read_rows
from models.people.users import Role


def _input(**changes) -> ComplaintInput:
    fields = {"mobile": "9876543210", "description": "हैंडपंप दो सप्ताह से खराब है", "channel": "portal",
              "district_code": "RPR", "category_code": "REV-MUT"}
    return ComplaintInput(**{**fields, **changes})


@pytest.mark.parametrize("changes, field, code, limit", [
    ({"mobile": ""}, "mobile", "required", None),
    ({"mobile": "12345"}, "mobile", "invalid", None),
    ({"description": "कम"}, "description", "too_short", 5),
    ({"description": "क" * 5001}, "description", "too_long", 5000),
    ({"citizen_name": "न" * 121}, "citizen_name", "too_long", 120),
    ({"channel": "pigeon"}, "channel", "unknown", None),
    ({"language": "fr"}, "language", "invalid", None),
])
def test_intake_names_field_and_code(changes, field, code, limit):
    with pytest.raises(InvalidField) as caught:
        _input(**changes).cleaned()
    assert (caught.value.field, caught.value.code, caught.value.limit) == (field, code, limit)


@pytest.mark.parametrize("changes, field, code", [
    ({"category_code": None}, "category_code", "required"),
    ({"category_code": "NOPE"}, "category_code", "unknown"),
    ({"district_code": None}, "district_code", "required"),
    ({"district_code": "XXX"}, "district_code", "unknown"),
    ({"block": "BSP-KOT"}, "block", "unknown"),
])
def test_registration_names_field_and_code(session, changes, field, code):
    with pytest.raises(InvalidField) as caught:
        complaints.register(session=session, data=_input(**changes), actor="test")
    assert (caught.value.field, caught.value.code) == (field, code)


def test_routing_and_status_errors_have_codes(session):
    with pytest.raises(IllegalTransition) as illegal:
        next_status(ComplaintStatus.CLOSED, Action.START)
    assert illegal.value.code == "illegal_transition" and illegal.value.status is ComplaintStatus.CLOSED
    with pytest.raises(UnknownCategory) as unknown:
        route(session=session, category_code="NOPE", district_code="RPR", start=utcnow())
    assert unknown.value.code == "unknown_category"
    assert NoOfficerConfigured("REV", 1, "RPR", None).code == "no_officer"


@pytest.mark.parametrize("name, data, code", [
    ("notes.txt", b"text", "wrong_type"),
    ("a.csv", b"", "empty"),
    ("a.csv", "नाम,मोबाइल\nराम,98765\nSeñora,9876543210\n".encode("latin-1", "replace"), "not_utf8"),
    ("a.csv", b"name,phone_number\n", "missing_columns"),
    ("a.xlsx", b"not a zip", "unreadable_xlsx"),
])
def test_unreadable_uploads_say_why_by_code(name, data, code):
    with pytest.raises(UnreadableFile) as caught:
        read_rows(name, data)
    assert caught.value.code == code
    if code == "missing_columns":
        assert caught.value.columns == "mobile, description"


def test_a_hearing_of_an_unknown_kind_is_an_invalid_field(session):
    admin = SimpleNamespace(role=Role.ADMIN, username="admin", district_code=None)
    with pytest.raises(InvalidField) as caught:
        create_hearing(session=session, user=admin, kind="village", held_on=date(2026, 11, 28),
                       place="रायपुर", presiding_authority="मुख्यमंत्री")
    assert (caught.value.field, caught.value.code) == ("kind", "unknown")
