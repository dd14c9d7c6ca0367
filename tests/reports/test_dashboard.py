"""The dashboards on screen: who sees which, every number linked to the complaints it counts, the
charts' JSON, and downloads (CSV with a BOM, XLSX that openpyxl opens) with Devanagari intact."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from models.core.db import new_session
from models.people.users import User
from tests.desk.conftest import log_in
from tests.reports import expected

RANGE = "from=2025-03-01&to=2025-04-10"


def get_user_by_name(session, username: str) -> User:
    from sqlalchemy import select

    return session.scalars(select(User).where(User.username == username)).one()


@pytest.fixture
def login(reports_app):
    return lambda username: log_in(reports_app.test_client(), username)


def test_the_secretary_sees_the_department_and_each_number_lists_what_it_counts(login):
    client = login("secretary.rev")
    page = client.get(f"/reports/?{RANGE}&lang=hi")
    assert page.status_code == 200
    assert "राजस्व" in page.text and "निराकरण का स्तर" in page.text
    data = client.get(f"/reports/data.json?{RANGE}").get_json()
    assert data["department"] == "REV" and "officers" in data and "departments" not in data
    channels = {row["code"]: row["registered"] for row in data["channels"]}
    assert channels["cm_jandarshan"] and "मुख्यमंत्री जनदर्शन" in page.text
    links = re.findall(r'href="(/reports/complaints\?[^"]+)">(\d+)</a>', page.text)
    assert len(links) > 20
    for href, number in links:
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert re.search(r'<span id="total">(\d+)', listed.text).group(1) == number, href
    resolved = [n for href, n in links if "measure=resolved" in href and "key=L1" in href
                and "district=" not in href and "channel=" not in href]
    assert resolved == [str(data["resolved"]["L1"])]


def test_who_may_see_which_reports(login, reports_app):
    assert login("secretary.rev").get(f"/reports/?department=PHE&{RANGE}").status_code == 403
    tehsildar = login("tehsildar.abhanpur").get(f"/reports/data.json?{RANGE}").get_json()
    with new_session() as session:
        officer_id = get_user_by_name(session, "tehsildar.abhanpur").officer_id
        held = [c for c in expected.complaints(session, date_from=date(2025, 3, 1), date_to=date(2025, 4, 10))
                if c.officer_id == officer_id]
    assert tehsildar["registered"] == len(held) > 0
    assert login("agent1").get(f"/reports/?{RANGE}").status_code == 403
    assert reports_app.test_client().get("/reports/").status_code == 302  # to the login page
    collector = login("collector.raipur").get(f"/reports/data.json?{RANGE}").get_json()
    assert (collector["department"], collector["district"]) == ("REV", "RPR")
    state = login("goodgov")
    data = state.get(f"/reports/data.json?{RANGE}").get_json()
    assert data["department"] is None and {row["code"] for row in data["departments"]} == {"REV", "PHE"}
    assert state.get(f"/reports/data.json?department=PHE&{RANGE}").get_json()["department"] == "PHE"
    assert state.get("/reports/?from=tomorrow").status_code == 400
    assert state.get("/").headers["Location"].endswith("/reports/")


def test_the_charts_json_is_the_apis(login, reports_app, token_for):
    screen = login("goodgov").get(f"/reports/data.json?department=REV&{RANGE}").get_json()
    api = reports_app.test_client().get(f"/api/v1/reports/summary?department=REV&{RANGE}",
                                        headers=token_for(None)).get_json()
    for key in ("registered", "open", "overdue", "resolved", "closures", "satisfaction", "explanations"):
        assert screen[key] == api[key], key


def test_downloads_keep_devanagari_and_the_numbers(login):
    client = login("goodgov")
    data = client.get(f"/reports/data.json?{RANGE}&lang=hi").get_json()
    raw = client.get(f"/reports/?{RANGE}&table=districts&format=csv&lang=hi")
    assert raw.status_code == 200 and raw.headers["Content-Type"].startswith("text/csv")
    assert raw.data.startswith(b"\xef\xbb\xbf") and "attachment" in raw.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert "दर्ज" in rows[0] and any("रायपुर" in row for row in rows)
    registered = rows[0].index("दर्ज")
    assert {row[1]: int(row[registered]) for row in rows[1:]} == {r["code"]: r["registered"] for r in data["districts"]}

    book = client.get(f"/reports/?{RANGE}&table=summary&format=xlsx&lang=hi")
    sheet = load_workbook(io.BytesIO(book.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["माप", "मद", "संख्या"]
    resolved = {row[1]: row[2] for row in values[1:] if row[0] == "निराकरण का स्तर"}
    assert resolved == data["resolved"]
    officers = login("secretary.rev").get(f"/reports/?{RANGE}&table=officers&format=xlsx")
    assert load_workbook(io.BytesIO(officers.data)).active.max_row > 1
    assert client.get(f"/reports/?{RANGE}&format=pdf").status_code == 404
