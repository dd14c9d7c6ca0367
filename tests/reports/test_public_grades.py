"""The public grades page and its JSON: no login, Hindi first, each district's and department's
grade and headline numbers, and no personal data anywhere (checked on what is rendered)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from models.complaints.complaint import Complaint
from models.core.db import new_session, unit_of_work
from models.people.officers import Officer
from models.reports.grades import compute_month
from models.reports.jobs import grading_config

MOBILE = re.compile(r"(?<!\d)[6-9]\d{9}(?!\d)")


@pytest.fixture
def graded(reports_db):
    with unit_of_work() as uow:
        for month in (date(2025, 3, 1), date(2025, 4, 1)):
            compute_month(session=uow.session, month=month, grading=grading_config())
        uow.commit()


def _personal(session) -> set[str]:
    values = set()
    for c in session.scalars(select(Complaint)):
        values.update(v for v in (c.mobile, c.citizen_name, c.description, c.address) if v)
    for o in session.scalars(select(Officer)):
        values.update(v for v in (o.name, o.mobile, o.email) if v)
    return values


def test_the_public_page_shows_grades_in_hindi_without_personal_data(reports_app, graded):
    client = reports_app.test_client()
    page = client.get("/grades")
    assert page.status_code == 200 and '<html lang="hi">' in page.text
    assert "जिलों और विभागों की श्रेणी" in page.text and "रायपुर" in page.text and "राजस्व" in page.text
    assert re.search(r'class="grade grade-[ABCD]"><strong>[ABCD]</strong>', page.text)
    march = client.get("/grades?month=2025-03")
    assert '<option value="2025-03" selected>' in march.text
    english = client.get("/grades?lang=en&month=2025-04")
    assert "Raipur" in english.text and "Grade" in english.text
    assert re.search(r'<span title="2025-03">03/25: [ABCD–]</span>', english.text)  # the earlier month
    body = client.get("/grades.json").get_json()
    assert body["months"][:2] == ["2025-04", "2025-03"] or set(body["months"]) >= {"2025-04", "2025-03"}
    row = next(r for r in body["grades"] if r["month"] == "2025-03" and r["code"] == "RPR")
    assert row["kind"] == "district" and row["name_hi"] == "रायपुर" and row["grade"] in "ABCD"
    assert set(row) == {"month", "kind", "code", "name_hi", "name_en", "grade", "score", "registered",
                        "resolved", "resolved_in_time", "satisfaction_rate"}
    assert body["formula"]["weights"]["satisfied"] == 60

    with new_session() as session:
        personal = _personal(session)
    for text in (page.text, march.text, english.text, json.dumps(body, ensure_ascii=False)):
        assert not MOBILE.search(text)
        leaked = [value for value in personal if value in text]
        assert leaked == [], leaked[:3]
    assert any("साहू" in value for value in personal)  # the check looked at real names
