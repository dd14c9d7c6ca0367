"""The agent's registration form with generated hostile values (hypothesis): a complaint is
registered with its text stored clean, or the form comes back (400) naming the field in Hindi with
nothing written."""

from __future__ import annotations

import unicodedata
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.service import get_by_public_id
from models.core.db import unit_of_work
from tests.desk.conftest import post_form
from tests.desk.test_register import form
from tests.factories import next_mobile

FIELDS = ["mobile", "description", "citizen_name", "address", "block"]  # a block outside Balod is refused
HOSTILE = st.one_of(
    st.text(st.one_of(st.characters(min_codepoint=0x0900, max_codepoint=0x097F), st.characters(codec="utf-8"),
                      st.sampled_from(["\u200b", "\ufeff", "\u202e", "\u200d", "\r", "\t"])), max_size=30),
    st.sampled_from(["क" * 5001, "न" * 121, "९१२३४ ५६७८९", "98765 abc", "=HYPERLINK(\"x\")"]))


def _counts() -> list[int]:
    with unit_of_work() as uow:
        return [uow.session.scalar(select(func.count()).select_from(t)) for t in (Complaint, ComplaintEvent)]


@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=HOSTILE)
def test_the_form_registers_clean_text_or_names_the_field(login, field, value):
    agent = login("agent1")
    # Balod, with words of its own: no other test's complaint looks like these (the duplicate warning)
    values = form(next_mobile(), district_code="BLD", block="", confirm_new="1",
                  description=f"परीक्षण {uuid4().hex} हैंडपंप का पानी खारा")
    values[field] = value
    before = _counts()
    response = post_form(agent, "/agent/register?lang=hi", "/agent/register", values)
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code == 302:
        with unit_of_work() as uow:
            complaint = get_by_public_id(session=uow.session, public_id=response.location.rsplit("/", 2)[-2])
            for text in (complaint.description, complaint.citizen_name, complaint.address):
                assert unicodedata.is_normalized("NFC", text) and not any(c in text for c in "\u200b\ufeff\u202e\r\t")
    else:
        assert 'data-field="' in response.text and _counts() == before
