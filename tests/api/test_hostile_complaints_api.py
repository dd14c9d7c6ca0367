"""POST /api/v1/complaints with generated hostile values (hypothesis): every answer is 201 with the
text stored normalised, or 400/422 naming the field, with nothing written — no complaint, no
history row, no SMS."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.complaints.complaint import Complaint, ComplaintEvent
from models.core.db import unit_of_work
from models.notifications.outbox import OutboxMessage
from tests.api.test_complaints_api import new_complaint

FIELDS = ["mobile", "description", "citizen_name", "address", "district", "block", "category"]
HOSTILE = st.one_of(
    st.text(st.one_of(st.characters(min_codepoint=0x0900, max_codepoint=0x097F), st.characters(codec="utf-8"),
                      st.sampled_from(["\x00", "\u200b", "\ufeff", "\u202e", "\u200d", "\r", "\t"])), max_size=40),
    st.sampled_from(["x" * 5001, "न" * 121, "९१२३४५६७८८", "+91 91234-56787", "98765 abc", "=cmd|' /C calc'!A0"]))


def _counts() -> list[int]:
    with unit_of_work() as uow:
        return [uow.session.scalar(select(func.count()).select_from(t)) for t in (Complaint, ComplaintEvent, OutboxMessage)]


@settings(max_examples=60, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=HOSTILE)
def test_a_hostile_field_is_stored_clean_or_refused_with_nothing_written(client, auth, field, value):
    before = _counts()
    response = client.post("/api/v1/complaints", json=new_complaint(**{field: value}), headers=auth)
    assert response.status_code in (201, 400, 422), response.text
    if response.status_code == 201:
        stored = response.json
        for name in ("description", "citizen_name", "address"):
            assert unicodedata.is_normalized("NFC", stored[name])
            assert not any(c in stored[name] for c in "\x00\u200b\ufeff\u202e\r\t")
        assert stored["mobile"].isdigit() and len(stored["mobile"]) == 10
    else:
        assert response.json["field"] in (field, "district", "block")
        assert _counts() == before
