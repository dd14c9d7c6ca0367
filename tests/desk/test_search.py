"""Search by ID, mobile, name, district, status, date; Hindi words find Devanagari text."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from models.core.db import unit_of_work
from tests.factories import make_complaint, next_mobile


def ids_on(page: str, *public_ids: str) -> list[str]:
    return [p for p in public_ids if f">{p}</a>" in page]


def test_hindi_words_find_devanagari_complaints(login):
    with unit_of_work() as uow:
        hit = make_complaint(uow.session, description="हैंडपंप खराब है, गाँव में पीने का पानी नहीं मिल रहा",
                             citizen_name="कमला ध्रुवकर")
        miss = make_complaint(uow.session, description="सड़क पर गड्ढे हैं, मरम्मत करवाएँ")
        uow.commit()
    agent = login("agent1")
    page = agent.get("/agent/search", query_string={"q": "हैंडपंप पानी"}).text
    assert ids_on(page, hit.public_id, miss.public_id) == [hit.public_id]
    # ड़ typed as one code point (U+095C) still matches the normalised (NFC) text stored.
    precomposed = "स\u095Cक"
    assert precomposed != "सड़क" and unicodedata.normalize("NFC", precomposed) == "सड़क"
    page = agent.get("/agent/search", query_string={"q": precomposed}).text
    assert miss.public_id in page
    page = agent.get("/agent/search", query_string={"name": "ध्रुवकर"}).text
    assert ids_on(page, hit.public_id, miss.public_id) == [hit.public_id]


def test_search_by_id_mobile_district_status_and_date(login):
    mobile = next_mobile()
    with unit_of_work() as uow:
        mine = make_complaint(uow.session, mobile=mobile)
        other = make_complaint(uow.session)
        uow.commit()
    agent = login("agent1")
    spaced = f"{mine.public_id[:4]} {mine.public_id[4:7]} {mine.public_id[7:]}"
    assert ids_on(agent.get("/agent/search", query_string={"q": spaced}).text,
                  mine.public_id, other.public_id) == [mine.public_id]
    assert ids_on(agent.get("/agent/search", query_string={"mobile": f"+91 {mobile}"}).text,
                  mine.public_id, other.public_id) == [mine.public_id]
    today = date.today()
    page = agent.get("/agent/search", query_string={
        "mobile": mobile, "district": "RPR", "status": "assigned",
        "from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}).text
    assert mine.public_id in page
    for miss in ({"mobile": mobile, "district": "BLD"}, {"mobile": mobile, "status": "closed"},
                 {"mobile": mobile, "from": (today + timedelta(days=2)).isoformat()}):
        assert mine.public_id not in agent.get("/agent/search", query_string=miss).text, miss
    bad = agent.get("/agent/search", query_string={"from": "28/11/2026"})
    assert bad.status_code == 400


def test_complaint_page_shows_history(login):
    with unit_of_work() as uow:
        c = make_complaint(uow.session)
        uow.commit()
    page = login("nodal.rev").get(f"/agent/complaints/{c.public_id}?lang=hi")
    assert page.status_code == 200 and "इतिहास" in page.text and "assign" in page.text
