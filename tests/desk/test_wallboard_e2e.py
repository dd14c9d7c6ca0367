"""The wallboard on the local Asterisk: two agents (one paused for lunch), three callers into the
queue. The free agent takes one, two wait, one gives up (abandoned); the JSON API says what
`queue show` says at the same moment, and a supervisor's browser sees the waiting number change
without a reload."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from ivr.ami import queue
from ivr.ami.client import run_action
from models.calls import queue_history
from models.calls.queue_history import QueueEvent
from models.core.db import unit_of_work
from models.people.tokens import create_token
from tests.asterisk.conftest import asterisk_settings  # noqa: F401  (fails, never skips, when Asterisk is down)
from tests.asterisk_fixtures import cli
from tests.desk.conftest import PASSWORD
from tests.desk.test_screen_pop_e2e import desk, wait_for  # noqa: F401  (fixture)

QUEUE_SHOW = re.compile(r"has (\d+) calls .*?W:\d+, C:(\d+), A:(\d+)")


@pytest.fixture
def app(desk):
    return desk  # live_server serves this app


def queue_show(settings) -> tuple[int, int, int]:
    """(waiting, completed, abandoned) as Asterisk's own CLI reports them."""
    match = QUEUE_SHOW.search(cli(settings, f"queue show {queue.QUEUE}"))
    assert match, cli(settings, f"queue show {queue.QUEUE}")
    return tuple(int(n) for n in match.groups())


def empty(settings) -> None:
    status = run_action(settings, queue.status())
    for event in status.events:
        if event.name == "QueueMember":
            run_action(settings, queue.remove_member(interface=event["Location"]))
        if event.name == "QueueEntry":
            run_action(settings, {"Action": "Hangup", "Channel": event["Channel"]})


def test_wallboard_follows_the_queue(desk, live_server, asterisk_settings, browser):
    settings = asterisk_settings
    empty(settings)
    wait_for(lambda: queue_show(settings)[0] == 0, 20, "the queue to empty")
    cli(settings, f"queue reset stats {queue.QUEUE}")
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name="wallboard-test", scope="api")
        uow.commit()
    api = desk.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def board() -> dict:
        response = api.get("/api/v1/wallboard", headers=headers)
        assert response.status_code == 200, response.text
        return response.json["queues"][0]

    def board_agrees(expected: tuple[int, int, int]) -> dict:
        """The API's numbers once they equal both `expected` and `queue show` read right after
        (the desk caches the board for a second)."""
        def agrees():
            now = board()
            seen = (now["waiting"], now["answered"], now["abandoned"])
            return now if seen == expected == queue_show(settings) else None
        return wait_for(agrees, 10, f"the wallboard to say {expected} as `queue show` does")

    tag = uuid.uuid4().hex[:6]
    free, paused = f"Local/agentwb{tag}a@agents/n", f"Local/agentwb{tag}b@agents/n"
    browser.get(f"{live_server}/login?lang=en")
    browser.find_element(By.NAME, "username").send_keys("supervisor")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_for(lambda: "/login" not in browser.current_url, 10, "the supervisor to log in")
    browser.get(f"{live_server}/supervisor/wallboard")
    shown = browser.find_element(By.ID, "wallboard")
    callers = []
    try:
        for interface, name in ((free, "Asha"), (paused, "Bhola")):
            run_action(settings, queue.ringable(interface))
            run_action(settings, queue.add_member(interface=interface, member_name=name))
        run_action(settings, queue.pause_member(interface=paused, reason="lunch"))
        for n in range(3):
            caller = f"9{uuid.uuid4().int % 10**8:08d}{n}"
            run_action(settings, {"Action": "Originate", "Channel": "Local/s@citizen-sim",
                                  "Application": "Queue", "Data": f"{queue.QUEUE},,,,120",
                                  "CallerID": caller, "Async": "true",
                                  "Variable": "__HELPLINE_AGENT_TALK=60"})
            callers.append(caller)
            time.sleep(0.3)
        wait_for(lambda: queue_show(settings)[0] == 2, 20, "the free agent to take one call and two to wait")
        # Asterisk counts a call completed when it ends, so the one on the line is not yet answered.
        now = board_agrees((2, 0, 0))
        assert now["longest_wait_s"] >= 0 and now["service_level"] is None
        agents = {a["name"]: a for a in now["agents"]}
        assert agents["Bhola"]["state"] == "paused" and agents["Bhola"]["paused_reason"] == "lunch"
        assert agents["Bhola"]["since"] and agents["Asha"]["state"] == "on_call"
        asha = wait_for(lambda: (lambda a: a if a.get("caller") else None)(
            {a["name"]: a for a in board()["agents"]}["Asha"]), 5, "the wallboard to show Asha's caller")
        assert asha["caller"] in callers and asha["since"]
        wait_for(lambda: shown.get_attribute("data-waiting") == "2", 10, "the browser to show 2 waiting")

        entries = [e for e in run_action(settings, queue.status()).events if e.name == "QueueEntry"]
        run_action(settings, {"Action": "Hangup", "Channel": entries[-1]["Channel"]})  # gives up
        wait_for(lambda: queue_show(settings)[2] == 1, 10, "Asterisk to count the abandoned call")
        board_agrees((1, 0, 1))
        wait_for(lambda: shown.get_attribute("data-waiting") == "1", 10, "the browser to show 1 waiting")
        assert browser.find_element(By.CSS_SELECTOR, "[data-board=abandoned]").text == "1"
        assert "lunch" in browser.find_element(By.ID, "board-agents").text
        # The same calls reach the history through Asterisk's queue_log, as the worker imports it.
        with unit_of_work() as uow:
            queue_history.import_file(session=uow.session, path=settings.queue_log)
            uow.commit()
            events = uow.session.scalars(select(QueueEvent).where(QueueEvent.event.in_(["ENTERQUEUE", "ABANDON"]))
                                         .order_by(QueueEvent.id.desc()).limit(50)).all()
            joined = [e for e in events if e.event == "ENTERQUEUE" and e.field(1) in callers]
            assert len(joined) == 3, [(e.event, e.data) for e in events]
            assert any(e.event == "ABANDON" and e.callid in {j.callid for j in joined} for e in events)
    finally:
        empty(settings)


def test_the_wallboard_needs_a_token_and_supervisors(desk, login):
    assert desk.test_client().get("/api/v1/wallboard").status_code == 401
    assert login("agent1").get("/supervisor/wallboard").status_code == 403


def test_the_wallboard_recovers_by_itself_after_asterisk_restarts(desk, login, asterisk_settings):
    """`helpline asterisk down && helpline asterisk up`: the board says Asterisk is away, then is
    live again within 10 seconds of Asterisk being up, with nobody touching the desk."""
    from scripts.local_asterisk import cli as local_asterisk

    supervisor = login("supervisor")
    assert supervisor.get("/supervisor/wallboard.json").json["asterisk"] is True
    try:
        local_asterisk.down(asterisk_settings)
        wait_for(lambda: supervisor.get("/supervisor/wallboard.json").status_code == 503, 15,
                 "the board to say Asterisk is away")
    finally:
        local_asterisk.up(asterisk_settings)
    up_at = time.monotonic()
    wait_for(lambda: supervisor.get("/supervisor/wallboard.json").status_code == 200, 10,
             "the board to be live again")
    board = supervisor.get("/supervisor/wallboard.json").json["queues"][0]
    assert board["queue"] == queue.QUEUE and board["waiting"] == queue_show(asterisk_settings)[0]
    print(f"wallboard live {time.monotonic() - up_at:.1f} s after Asterisk was up")
