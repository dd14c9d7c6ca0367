"""End to end with the local Asterisk: an agent logged into the queue through the desk's AMI
bridge, a citizen's call through the real IVR flows into the queue, the screen pop over the
event stream with the draft id, and the form turning the draft into an assigned complaint."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import queue
import threading
import time
import urllib.request
import uuid

import pytest
from sqlalchemy import select

from agent_desk import create_app
from ivr.agi import start_server
from ivr.ami.client import AmiClient, run_action
from ivr.flows import build_routes, create_services
from models.calls.call import Call
from models.calls.recordings import conversation_file
from models.complaints.service import get_by_public_id
from models.core import db as model_db
from models.core.db import unit_of_work
from models.people.officers import Officer
from models.people.users import add_user
from scripts.demo_call import place_citizen_call, sim_steps, speech_file
from tests.asterisk.conftest import asterisk_settings  # noqa: F401  (fails, never skips, when Asterisk is down)
from tests.desk.conftest import PASSWORD, log_in, post_form
from tests.factories import next_mobile

# Hindi (1), new complaint (1), district 27 (Raipur), then wait out the district read-back and the
# 9.5 s "speak after the beep" prompt (no barge-in) before speaking.
KEYS = "1w1w27" + "w" * 13


@pytest.fixture
def app(desk):
    return desk  # live_server serves this app


@pytest.fixture
def desk(desk_database_url, asterisk_settings):
    """The desk with the real recordings folder (the one Asterisk writes into). The process-wide
    engine (unit_of_work() in the tests) points at the desk's database too."""
    if model_db.get_engine().url.render_as_string(hide_password=False) != desk_database_url:
        model_db.configure_engine(desk_database_url)
    app = create_app({"TESTING": True, "DATABASE_URL": desk_database_url, "SECRET_KEY": "desk-e2e"})
    yield app
    bridge = app.extensions.get("helpline_ami_bridge")
    if bridge is not None:
        bridge.stop()


def read_events(url: str, cookie: str, events: queue.Queue) -> None:
    """Read the desk's text/event-stream over HTTP, as a browser does, into (event, data) pairs."""
    request = urllib.request.Request(url, headers={"Cookie": f"session={cookie}",
                                                   "Accept": "text/event-stream"})
    buffer = ""
    for line in urllib.request.urlopen(request, timeout=300):
        buffer += line.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
            if "event" in fields:
                events.put((fields["event"], json.loads(fields.get("data", "{}"))))


def citizen_call(settings, caller: str, result: dict) -> None:
    """In its own loop: our FastAGI server with the real flows, and the citizen dialling in."""
    async def scenario():
        services = create_services(settings)
        server = await start_server("127.0.0.1", 0, build_routes(services))
        port = server.sockets[0].getsockname()[1]
        speech = speech_file("मेरी जमीन का नामांतरण छह महीने से लंबित है", voice="hi",
                             folder=settings.var_dir / "demo-audio")
        ami = AmiClient.from_settings(settings, ping_interval=5)
        await ami.connect()
        try:
            result["call"] = await place_citizen_call(
                ami, caller=caller, steps=sim_steps(keys=KEYS, speech=speech, lead_wait=2.0),
                timeout=150, variables={"HELPLINE_AGI_PORT": str(port), "__HELPLINE_AGENT_TALK": "15"})
        finally:
            await ami.close()
            server.close()
            await services.close()

    try:
        asyncio.run(scenario())
    except BaseException as exc:  # reported by the test
        result["error"] = exc


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def e2e_agent(desk_database_url) -> str:
    """An agent with a phone of their own, so no other test's queue member is mistaken for it."""
    name = f"agent{uuid.uuid4().hex[:8]}"
    with unit_of_work() as uow:
        add_user(session=uow.session, username=name, password=PASSWORD, role="agent",
                 full_name="E2E agent", phone_interface=f"Local/{name}@agents")
        uow.commit()
    return name


def test_call_through_ivr_pops_on_the_agents_desk_and_registers(desk, live_server, asterisk_settings, e2e_agent):
    agent = log_in(desk.test_client(), e2e_agent)
    logged = agent.post("/agent/presence", headers={"Accept": "application/json"},
                        data={"action": "log_in", "csrf_token": _token(agent)})
    assert logged.status_code == 200, logged.text
    try:
        wait_for(lambda: agent.get("/agent/presence.json").json["state"] == "available", 10,
                 "the agent to show as available in the queue")
        events: queue.Queue = queue.Queue()
        cookie = agent.get_cookie("session").value
        threading.Thread(target=read_events, args=(f"{live_server}/agent/events", cookie, events),
                         daemon=True).start()
        assert events.get(timeout=5)[0] == "hello"

        caller, result = next_mobile(), {}
        started = time.monotonic()
        ivr_settings = dataclasses.replace(asterisk_settings, database_url=desk.config["DATABASE_URL"])
        call_thread = threading.Thread(target=citizen_call, args=(ivr_settings, caller, result))
        call_thread.start()
        pop = _pop_for(events, caller, result, timeout=120)
        assert pop["draft"], f"the pop carries no draft id: {pop}"
        assert pop["district"] == "RPR" and pop["recording_url"].endswith(f"/agent/recordings/{pop['draft']}")
        assert pop["event"] in ("AgentCalled", "AgentConnect")
        print(f"screen pop {time.monotonic() - started:.1f} s after dialling")
        audio = agent.get(pop["recording_url"])
        assert audio.status_code == 200 and audio.data[:4] == b"RIFF"

        response = post_form(agent, pop["register_url"], "/agent/register", {
            "draft": pop["draft"], "citizen_name": "रामेश्वर साहू", "mobile": caller, "district_code": "RPR",
            "block": "RPR-ABH", "category": "REV-MUT", "language": "hi", "confirm_new": "1",
            "description": "जमीन का नामांतरण छह महीने से लंबित है"})
        assert response.status_code == 302, response.text
        call_thread.join(120)
        assert "error" not in result, result.get("error")
        with unit_of_work() as uow:
            complaint = get_by_public_id(session=uow.session, public_id=pop["draft"])
            assert complaint.status.value == "assigned" and complaint.mobile == caller
            assert uow.session.get(Officer, complaint.officer_id).code == "REV-L1-RPR-ABH"
            actors = [(e.actor, e.action) for e in complaint.history]
            assert actors[0] == ("ivr", "draft") and (f"user:{e2e_agent}", "register") in actors
            call = uow.session.scalars(select(Call).where(Call.complaint_id == complaint.id)).one()
            assert call.caller_number.endswith(caller) and call.agent == e2e_agent
            uniqueid = call.uniqueid
        # The conversation with the agent, both sides, is kept by the call's id and served.
        conversation = wait_for(lambda: conversation_file(
            uniqueid=uniqueid, recordings_dir=asterisk_settings.recordings_dir), 10, "the conversation file")
        assert conversation.stat().st_size > 8000  # more than a header: a second or more of audio
        served = agent.get(f"/agent/calls/{uniqueid}/conversation")
        assert served.status_code == 200 and served.data[:4] == b"RIFF"
    finally:
        agent.post("/agent/presence", data={"action": "log_out", "csrf_token": _token(agent)})


def _token(client) -> str:
    from tests.desk.conftest import csrf_token

    return csrf_token(client.get("/agent/").text)


def _pop_for(events: queue.Queue, caller: str, result: dict, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "error" in result:
            raise AssertionError(f"the citizen's call failed: {result['error']!r}")
        try:
            name, data = events.get(timeout=1)
        except queue.Empty:
            continue
        if name == "pop" and data.get("caller", "").endswith(caller):
            return data
    from models.calls.service import calls_of_caller, journey

    with unit_of_work() as uow:
        steps = [journey(c)["steps"] for c in calls_of_caller(session=uow.session, caller_number=caller)]
    call = result.get("call")
    raise AssertionError(f"no screen pop for {caller} within {timeout} s; IVR journey: {steps}; "
                         f"AMI: {[e.name for e in call.events] if call else 'call still running'}")


def test_presence_follows_asterisk_events(desk, asterisk_settings, e2e_agent):
    """Log in, pause with a reason, resume, log out: the desk shows what Asterisk reports."""
    agent = log_in(desk.test_client(), e2e_agent)
    supervisor = log_in(desk.test_client(), "supervisor")

    def act(action: str, **extra) -> None:
        response = agent.post("/agent/presence", headers={"Accept": "application/json"},
                              data={"action": action, "csrf_token": _token(agent), **extra})
        assert response.status_code == 200, response.text

    def shows(state: str, reason: str = "") -> None:
        wait_for(lambda: agent.get("/agent/presence.json").json == {
            "state": state, "reason": reason, "asterisk": True, "interface": f"Local/{e2e_agent}@agents"},
            10, f"the desk to show {state} {reason}")

    try:
        act("log_in")
        shows("available")
        assert f"Local/{e2e_agent}@agents" in queue_members(asterisk_settings)
        act("pause", reason="lunch")
        shows("paused", "lunch")
        board = supervisor.get("/supervisor/agents.json").json
        assert {"username": e2e_agent, "state": "paused", "reason": "lunch"}.items() <= \
            next(a for a in board if a["username"] == e2e_agent).items()
        bad = agent.post("/agent/presence", headers={"Accept": "application/json"},
                         data={"action": "pause", "reason": "nap", "csrf_token": _token(agent)})
        assert bad.status_code == 400
        act("unpause")
        shows("available")
    finally:
        act("log_out")
    shows("logged_out")
    assert f"Local/{e2e_agent}@agents" not in queue_members(asterisk_settings)


def queue_members(settings) -> set[str]:
    response = run_action(settings, {"Action": "QueueStatus", "Queue": "helpline"})
    return {m.get("Location") for m in response.events if m.name == "QueueMember"}
