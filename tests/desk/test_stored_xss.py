"""What citizens and callers wrote is shown as text, never run: a name, address, description,
transcript and WhatsApp-style text carrying markup come back escaped on the agent's and the
officer's pages, in search results, in the screen pop's JSON and the public tracking page."""

from __future__ import annotations

import pytest

from models.complaints.service import set_transcript
from models.core.db import unit_of_work
from tests.factories import make_complaint

PAYLOADS = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>"]
ESCAPED = ["&lt;script&gt;alert(", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;", "&lt;svg/onload=alert(1)&gt;"]


@pytest.fixture
def hostile_complaint(desk_database_url):
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session, citizen_name=f"सुनीता {PAYLOADS[0]}",
                                   description=f"हैंडपंप खराब {PAYLOADS[1]} {PAYLOADS[0]}",
                                   address=f"वार्ड 5 {PAYLOADS[2]}", channel="whatsapp")
        set_transcript(session=uow.session, complaint=complaint, text=f"बोला गया {PAYLOADS[2]}", confidence=0.9)
        uow.commit()
        return complaint.public_id


def _inert(html: str) -> list[str]:
    """The payloads found live in `html` (each must appear only escaped)."""
    return [p for p in PAYLOADS if p in html]


@pytest.mark.parametrize("username, page", [
    ("agent1", "/agent/complaints/{id}"),
    ("supervisor", "/agent/complaints/{id}"),
    ("admin", "/agent/complaints/{id}"),
    ("tehsildar.abhanpur", "/officer/complaints/{id}"),
    ("agent1", "/agent/search?q={id}"),
])
def test_markup_in_a_complaint_is_shown_escaped(login, hostile_complaint, username, page):
    response = login(username).get(page.format(id=hostile_complaint))
    assert response.status_code == 200
    assert not _inert(response.text), (username, page)
    assert any(escaped in response.text for escaped in ESCAPED), "the text itself must still be shown"


def test_the_public_tracking_page_shows_no_live_markup(app, hostile_complaint):
    from tests.desk.conftest import csrf_token

    client = app.test_client()
    with unit_of_work() as uow:
        from models.complaints.service import get_by_public_id
        mobile = get_by_public_id(session=uow.session, public_id=hostile_complaint).mobile
    page = client.get("/track")
    response = client.post("/track", data={"id": hostile_complaint, "last4": mobile[-4:],
                                           "csrf_token": csrf_token(page.text)})
    assert response.status_code == 200 and not _inert(response.text)
