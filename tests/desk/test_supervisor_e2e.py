"""A supervisor on the local Asterisk: listens to an agent's call, then whispers to the agent
(ChanSpy from the supervisor's own phone, a Local/ channel here), and pauses the agent for lunch;
each action is in the audit trail."""

from __future__ import annotations

import time
import uuid

from ivr.ami import queue
from ivr.ami.client import run_action
from models.core.db import unit_of_work
from models.people import audit
from models.people.users import add_user
from tests.asterisk.conftest import asterisk_settings  # noqa: F401  (fails, never skips, when Asterisk is down)
from tests.asterisk_fixtures import channels, hang_up
from tests.desk.conftest import PASSWORD, csrf_token, log_in
from tests.desk.test_screen_pop_e2e import desk, wait_for  # noqa: F401  (fixture)


def spying(settings, supervisor_phone: str) -> str | None:
    """The ChanSpy data of the supervisor's channel, once it runs."""
    prefix = supervisor_phone.split("/n")[0]
    for fields in channels(settings):
        if fields[0].startswith(prefix) and "ChanSpy" in fields:
            return fields[fields.index("ChanSpy") + 1]
    return None


def test_supervisor_listens_whispers_and_pauses_an_agent(desk, asterisk_settings):
    settings, tag = asterisk_settings, uuid.uuid4().hex[:6]
    agent_phone, supervisor_phone = f"Local/agentsp{tag}@agents", f"Local/agentsv{tag}@agents"
    with unit_of_work() as uow:
        add_user(session=uow.session, username=f"ag{tag}", password=PASSWORD, role="agent",
                 full_name="Agent", phone_interface=agent_phone)
        add_user(session=uow.session, username=f"sv{tag}", password=PASSWORD, role="supervisor",
                 full_name="Supervisor", phone_interface=supervisor_phone)
        uow.commit()
    run_action(settings, queue.ringable(agent_phone))
    run_action(settings, queue.add_member(interface=agent_phone, member_name=f"ag{tag}"))
    supervisor = log_in(desk.test_client(), f"sv{tag}")
    try:
        run_action(settings, {"Action": "Originate", "Channel": "Local/s@citizen-sim", "Application": "Queue",
                              "Data": f"{queue.QUEUE},,,,60", "CallerID": "9876500001", "Async": "true",
                              "Variable": "__HELPLINE_AGENT_TALK=60"})
        wait_for(lambda: any(f[0].startswith(f"{agent_phone}-") and "Wait" in f for f in channels(settings)),
                 20, "the agent to be on the call")
        token = csrf_token(supervisor.get("/supervisor/").text)
        for mode, options in (("listen", "bqE"), ("whisper", "bqwE")):
            response = supervisor.post(f"/supervisor/agents/ag{tag}/spy", data={"mode": mode, "csrf_token": token})
            assert response.status_code == 302, response.text
            data = wait_for(lambda: spying(settings, supervisor_phone), 10, f"ChanSpy ({mode}) to run")
            assert data == f"{agent_phone},{options}", data
            hang_up(settings, supervisor_phone)
            wait_for(lambda: spying(settings, supervisor_phone) is None, 10, "the spy to end")
            time.sleep(0.5)
        paused = supervisor.post(f"/supervisor/agents/ag{tag}/presence",
                                 data={"action": "pause", "reason": "lunch", "csrf_token": token})
        assert paused.status_code == 302

        def member():
            return next((e for e in run_action(settings, queue.status()).events
                         if e.name == "QueueMember" and e.get("Location") == agent_phone), {})
        wait_for(lambda: member().get("Paused") == "1" and member().get("PausedReason") == "lunch", 10,
                 "the agent to be paused for lunch")
        assert supervisor.post(f"/supervisor/agents/ag{tag}/spy", data={"mode": "eavesdrop", "csrf_token": token}
                               ).status_code == 400
        with unit_of_work() as uow:
            actions = [e.action for e in audit.recent(session=uow.session, subject=f"agent:ag{tag}")]
        assert actions[:3] == ["supervisor_pause", "supervisor_whisper", "supervisor_listen"]
    finally:
        run_action(settings, queue.remove_member(interface=agent_phone))
        hang_up(settings, supervisor_phone, agent_phone, "Local/s@citizen-sim")
