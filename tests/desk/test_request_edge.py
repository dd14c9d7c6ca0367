"""Hostile text at the door of every screen (agent_desk/edge.py): NUL, zero-width and control
characters in paths, query parameters and form fields give a clear answer, never a 500 (PostgreSQL
refuses NUL in text), and a search term with a zero-width space finds what the plain word finds."""

from __future__ import annotations

import pytest

from models.core.db import unit_of_work
from tests.desk.conftest import csrf_token, log_in
from tests.factories import make_complaint

HOSTILE = ["%00", "a%00b", "%E2%80%8B", "%EF%BB%BF%01", "%ED%A0%80"]  # NUL, ZWSP, BOM + control, a surrogate
PAGES = {  # login -> pages with a query parameter or a path segment to spoil
    "agent1": ["/agent/search?q={x}", "/agent/search?mobile={x}&name={x}", "/agent/complaints/{x}",
               "/agent/categories.json?q={x}", "/agent/route.json?district={x}&category={x}"],
    "tehsildar.abhanpur": ["/officer/?q={x}&district={x}&status={x}", "/officer/complaints/{x}"],
    "secretary.rev": ["/reports/?department={x}&district={x}&from={x}"],
    "supervisor": ["/supervisor/history?day={x}"],
    None: ["/track?id={x}", "/grades?month={x}"],
}


def test_no_page_answers_500_to_hostile_text(app):
    answers = []
    for login, pages in PAGES.items():
        client = log_in(app.test_client(), login) if login else app.test_client()
        for page in pages:
            for x in HOSTILE:
                answers.append((page.format(x=x), client.get(page.format(x=x)).status_code))
    assert len(answers) == 55
    assert [a for a in answers if a[1] >= 500] == []


def test_a_zero_width_space_in_a_search_finds_the_plain_word(app):
    with unit_of_work() as uow:
        public_id = make_complaint(uow.session, description="हैंडपंप बंद है, पानी नहीं आ रहा qzxedge").public_id
        uow.commit()
    agent = log_in(app.test_client(), "agent1")
    assert public_id in agent.get("/agent/search?q=qzx%E2%80%8Bedge%00").text


@pytest.mark.parametrize("username", ["agent1\x00", "\x00' OR 1=1 --"])
def test_a_nul_in_a_form_field_is_taken_out(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": "wrong-password",
                                           "csrf_token": csrf_token(client.get("/login").text)})
    assert response.status_code == 401
