"""A domain error reaches the Hindi screen as a Hindi sentence chosen by its `code`, never as the
English text of the exception."""

from __future__ import annotations

import pytest

from agent_desk.web.messages import MESSAGES, error_text, row_errors
from models.complaints.intake import InvalidField
from models.complaints.routing import NoOfficerConfigured
from models.complaints.status import Action, ComplaintStatus, IllegalTransition
from models.core.db import unit_of_work
from models.jandarshan.import_files import UnreadableFile, read_rows
from models.people.users import UnknownRole, UserExists, WeakPassword
from tests.desk.conftest import post_form
from tests.factories import make_complaint, next_mobile


def test_starting_twice_flashes_the_hindi_sentence_not_the_exception(login):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        uow.commit()
    officer = login("tehsildar.abhanpur")
    start = f"/officer/complaints/{complaint.public_id}/start"
    assert post_form(officer, "/officer/", start, {}).status_code == 302
    again = post_form(officer, "/officer/", start, {}, follow_redirects=True)
    assert "शिकायत अभी कार्यवाही जारी है; इस स्थिति में यह कार्य नहीं हो सकता।" in again.text
    assert "cannot start" not in again.text
    try:
        english = post_form(officer, "/officer/?lang=en", start, {}, follow_redirects=True)
        assert "This step is not allowed while the complaint is in progress." in english.text
    finally:
        officer.get("/officer/?lang=hi")  # the choice is saved on the account: give it back


def test_resolving_without_a_resolution_names_the_field_in_hindi(login):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        uow.commit()
    page = post_form(login("tehsildar.abhanpur"), "/officer/",
                     f"/officer/complaints/{complaint.public_id}/resolve", {"resolution": " "},
                     follow_redirects=True)
    assert "निराकरण: यह आवश्यक है।" in page.text and "say how" not in page.text


def test_registration_form_errors_are_hindi(login):
    agent = login("agent1")
    data = {"mobile": "12345", "description": "मेरी जमीन का नामांतरण लंबित है", "district_code": "RPR",
            "category": "REV-MUT", "language": "hi"}
    page = post_form(agent, "/agent/register", "/agent/register", data)
    assert page.status_code == 400
    assert 'data-field="mobile">मोबाइल नंबर: यह मान्य नहीं है।' in page.text
    assert "not a valid" not in page.text
    short = post_form(agent, "/agent/register", "/agent/register",
                      {**data, "mobile": next_mobile(), "description": "कम"})
    assert "विवरण: कम से कम 5 अक्षर लिखें।" in short.text


def test_adding_a_user_with_a_short_password_says_so_in_hindi(login):
    admin = login("admin")
    page = post_form(admin, "/admin/users", "/admin/users",
                     {"username": "short.password", "password": "short", "role": "agent"},
                     follow_redirects=True)
    assert "पासवर्ड में कम से कम 8 अक्षर होने चाहिए।" in page.text and "must have" not in page.text


def test_a_bad_hearing_date_is_named_in_hindi(login):
    page = post_form(login("jandarshan.raipur"), "/jandarshan/", "/jandarshan/hearings",
                     {"kind": "cm", "held_on": "28/11/2026", "place": "रायपुर",
                      "presiding_authority": "मुख्यमंत्री"}, follow_redirects=True)
    assert "दिनांक: यह मान्य नहीं है।" in page.text and "isoformat" not in page.text


def _unreadable() -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_rows("applications.csv", b"name,phone_number\n")
    return caught.value


@pytest.mark.parametrize("exc, hindi", [
    (IllegalTransition(ComplaintStatus.CLOSED, Action.START), "शिकायत अभी बंद है"),
    (InvalidField("category_code", "unknown category 'X'", code="unknown"), "श्रेणी: यह सूची में नहीं है"),
    (InvalidField("text", "too short", code="too_short", limit=10), "स्पष्टीकरण: कम से कम 10 अक्षर"),
    (NoOfficerConfigured("REV", 1, "RPR", None), "कोई अधिकारी निर्धारित नहीं है"),
    (UserExists("user 'x' already exists"), "पहले से मौजूद है"),
    (WeakPassword("short"), "कम से कम 8 अक्षर"),
    (UnknownRole("unknown role 'boss'"), "सूची में से भूमिका चुनें"),
    (_unreadable(), "शीर्ष पंक्ति में कॉलम mobile, description नहीं हैं"),
    (ValueError("no code at all"), "यह कार्य नहीं हो सका"),
])
def test_each_code_has_a_hindi_sentence(app, exc, hindi):
    with app.test_request_context("/?lang=hi"):
        assert hindi in error_text(exc)
        assert str(exc) not in error_text(exc)


def test_every_code_is_translated_to_hindi(app):
    with app.test_request_context("/?lang=hi"):
        untranslated = [code for code in MESSAGES
                        if error_text(type("E", (Exception,), {"code": code})()) == MESSAGES[code]]
    assert not untranslated


def test_import_rows_keep_their_column_and_get_a_hindi_problem(app):
    stored = [{"row": 3, "field": "category", "message": "unknown category 'X'", "code": "unknown",
               "limit": None},
              {"row": 4, "field": "mobile", "message": "stored before codes"}]
    with app.test_request_context("/?lang=hi"):
        shown = row_errors(stored)
    assert shown[0] == {**stored[0], "message": "श्रेणी: यह सूची में नहीं है; सूची में से चुनें।"}
    assert shown[1] == stored[1]
