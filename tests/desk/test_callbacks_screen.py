"""The supervisor's call-back list: in order, moved, cancelled; agents may not touch it."""

from __future__ import annotations

from models.calls import callbacks
from models.complaints.service import create_draft
from models.core.db import unit_of_work
from tests.desk.conftest import csrf_token
from tests.factories import next_mobile


def listed() -> tuple[int, str]:
    with unit_of_work() as uow:
        draft = create_draft(session=uow.session, mobile=next_mobile(), district_code="RPR")
        entry = callbacks.request(session=uow.session, complaint=draft)
        uow.commit()
        return entry.id, draft.public_id


def order(page: str, *ids: int) -> list[int]:
    return sorted(ids, key=lambda i: page.index(f'data-callback="{i}"'))


def test_supervisor_reorders_and_cancels_call_backs(login):
    (a, a_draft), (b, _) = listed(), listed()
    supervisor = login("supervisor")
    page = supervisor.get("/supervisor/callbacks")
    assert page.status_code == 200 and a_draft in page.text and order(page.text, a, b) == [a, b]
    token = csrf_token(page.text)
    moved = supervisor.post(f"/supervisor/callbacks/{b}", data={"action": "up", "csrf_token": token})
    assert moved.status_code == 302
    assert order(supervisor.get("/supervisor/callbacks").text, a, b) == [b, a]
    supervisor.post(f"/supervisor/callbacks/{a}", data={"action": "cancel", "csrf_token": token})
    assert f'data-callback="{a}"' not in supervisor.get("/supervisor/callbacks").text
    again = supervisor.post(f"/supervisor/callbacks/{a}", data={"action": "cancel", "csrf_token": token},
                            follow_redirects=True)
    assert "प्रतीक्षा में नहीं" in again.text  # the Hindi error, not a 500
    assert supervisor.post(f"/supervisor/callbacks/{b}", data={"action": "up"}).status_code == 400  # no CSRF
    assert supervisor.post(f"/supervisor/callbacks/{b}", data={"action": "sideways", "csrf_token": token}
                           ).status_code == 400


def test_agents_may_not_change_the_list(login):
    entry, _ = listed()
    agent = login("agent1")
    assert agent.get("/supervisor/callbacks").status_code == 403
    token = csrf_token(agent.get("/agent/").text)
    assert agent.post(f"/supervisor/callbacks/{entry}", data={"action": "cancel", "csrf_token": token}
                      ).status_code == 403
