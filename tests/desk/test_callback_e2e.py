"""A call-back end to end on the local Asterisk: a caller who found no agent free asked to be
called back; an agent logs in through the desk; the worker's call-back job sees the free agent,
calls the citizen (a Local/ citizen who answers), puts them through to the queue, and the agent's
screen pops with the caller's draft."""

from __future__ import annotations

import dataclasses
import queue
import threading
from datetime import datetime

import pytest

from ivr.ami import queue as queue_actions
from ivr.ami.client import run_action
from ivr.outbound import free_agents, place_callbacks
from models.calls import callbacks
from models.calls.callbacks import CallbackStatus
from models.complaints.service import create_draft
from models.core.db import Database, unit_of_work
from models.reference.calendar import IST
from tests.asterisk.conftest import asterisk_settings  # noqa: F401  (fails, never skips, when Asterisk is down)
from tests.asterisk_fixtures import hang_up
from tests.desk.conftest import log_in
from tests.desk.test_screen_pop_e2e import _token, desk, e2e_agent, read_events, wait_for  # noqa: F401
from tests.e2e.conftest import IvrServer, free_port
from tests.factories import next_mobile

MONDAY_11 = datetime(2026, 12, 7, 11, 0, tzinfo=IST)  # inside calling hours, whenever the test runs


@pytest.fixture
def app(desk):
    return desk  # live_server serves this app


def test_a_caller_is_called_back_when_an_agent_is_free_and_the_screen_pops(
        desk, live_server, asterisk_settings, e2e_agent):
    mobile = next_mobile()
    for event in run_action(asterisk_settings, queue_actions.status()).events:  # only our agent answers
        if event.name == "QueueMember":
            run_action(asterisk_settings, queue_actions.remove_member(interface=event["Location"]))
    with unit_of_work() as uow:  # as the IVR's queue-timeout flow files it when the caller presses 1
        draft = create_draft(session=uow.session, mobile=mobile, district_code="RPR")
        entry = callbacks.request(session=uow.session, complaint=draft, now=MONDAY_11)
        uow.commit()
        draft_id, callback_id = draft.public_id, entry.id
    settings = dataclasses.replace(asterisk_settings, database_url=desk.config["DATABASE_URL"],
                                   agi_port=free_port(), outbound_channel="Local/{number}@feedback-citizen")
    run_action(settings, {"Action": "DBPut", "Family": "feedback-sim", "Key": mobile, "Val": "answer"})
    server = IvrServer(settings).start()
    agent = log_in(desk.test_client(), e2e_agent)
    try:
        logged = agent.post("/agent/presence", headers={"Accept": "application/json"},
                            data={"action": "log_in", "csrf_token": _token(agent)})
        assert logged.status_code == 200, logged.text
        wait_for(lambda: agent.get("/agent/presence.json").json["state"] == "available", 10,
                 "the agent to be available")
        assert free_agents(settings) >= 1
        events: queue.Queue = queue.Queue()
        threading.Thread(target=read_events, daemon=True, args=(
            f"{live_server}/agent/events", agent.get_cookie("session").value, events)).start()
        assert events.get(timeout=5)[0] == "hello"

        originated = []

        def originate(action):
            originated.append(action)
            port = f"HELPLINE_AGI_PORT={settings.agi_port}"
            return run_action(settings, {**action, "Variable": [*action["Variable"], port]})

        database = Database(settings.database_url)
        assert place_callbacks(database=database, now=MONDAY_11, settings=settings,
                               originate=originate) >= 1
        assert any(f"HELPLINE_CALLBACK={callback_id}" in a["Variable"] for a in originated)

        def pop():
            while True:
                name, data = events.get(timeout=60)
                if name == "pop" and data.get("draft") == draft_id:
                    return data

        data = pop()
        assert data["caller"].endswith(mobile), data
        with database.unit_of_work() as uow:
            done = uow.session.get(callbacks.Callback, callback_id)
            assert done.status is CallbackStatus.CONNECTED and done.call_uniqueid
        database.dispose()
    finally:
        agent.post("/agent/presence", data={"action": "log_out", "csrf_token": _token(agent)})
        hang_up(settings, f"Local/{mobile}@feedback-citizen")
        server.stop()
