"""Our asyncio AMI client against the real local Asterisk."""

from __future__ import annotations

import asyncio
import socket

import pytest

from ivr.ami.client import AmiClient, AmiError, chan_variables, run_action
from ivr.ami.protocol import encode_action, parse_message


def test_wire_format_round_trip():
    raw = encode_action({"Action": "Originate", "Variable": ["A=1", "B=2"]})
    assert raw == b"Action: Originate\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n"
    event = parse_message(b"Event: AgentCalled\r\nChanVariable: HELPLINE_DRAFT=4242\r\n"
                          b"ChanVariable: HELPLINE_CALL=7")
    assert event.name == "AgentCalled"
    assert chan_variables(event) == {"HELPLINE_DRAFT": "4242", "HELPLINE_CALL": "7"}
    with pytest.raises(ValueError):
        encode_action({"Action": "Command", "Command": "core stop now\r\nAction: x"})


def test_login_ping_and_core_settings(ami, run):
    assert ami.banner.startswith("Asterisk Call Manager/")
    assert run(ami.action({"Action": "Ping"}))["Ping"] == "Pong"
    settings = run(ami.action({"Action": "CoreSettings"}))
    assert settings["AsteriskVersion"].split(".")[0].isdigit()


def test_list_action_collects_events_until_complete(ami, run):
    response = run(ami.action({"Action": "QueueStatus", "Queue": "helpline"}))
    assert response.get("Complete") == "QueueStatusComplete"
    params = [e for e in response.events if e.name == "QueueParams"]
    assert [p["Queue"] for p in params] == ["helpline"]


def test_command_output_and_errors(ami, run):
    out = run(ami.action({"Action": "Command", "Command": "core show uptime"}))["Output"]
    assert "System uptime" in out
    with pytest.raises(AmiError):
        run(ami.action({"Action": "NoSuchAction"}))


def test_wrong_secret_is_refused(asterisk_settings, run):
    client = AmiClient(host=asterisk_settings.ami_host, port=asterisk_settings.ami_port,
                       username=asterisk_settings.ami_user, secret="wrong", reconnect=False)
    with pytest.raises(AmiError, match="refused"):
        run(client.connect())


def test_run_action_from_sync_code(asterisk_settings):
    assert run_action(asterisk_settings, {"Action": "Ping"})["Response"] == "Success"


def test_idle_connection_stays_up(asterisk_settings, run):
    """asterisk-ami drops an idle connection after 3 s; ours pings and stays."""

    async def scenario():
        async with AmiClient.from_settings(asterisk_settings, ping_interval=1) as client:
            await asyncio.sleep(3.5)
            return client.connected, await client.action({"Action": "Ping"})

    connected, pong = run(scenario())
    assert connected and pong["Ping"] == "Pong"


def test_queue_events_carry_the_draft(ami, run):
    """channelvars: AgentCalled/AgentConnect of a queued call carry HELPLINE_DRAFT (the screen pop)."""
    from scripts.demo_call import place_citizen_call

    async def scenario():
        await ami.action({"Action": "QueueAdd", "Queue": "helpline", "Interface": "Local/agent3@agents/n",
                          "StateInterface": "Custom:agent3", "MemberName": "Agent Three"})
        await ami.action({"Action": "Command", "Command": "devstate change Custom:agent3 NOT_INUSE"})
        try:
            return await place_citizen_call(
                ami, caller="9000000003", steps="w3", timeout=30,
                variables={"HELPLINE_AGI_PORT": str(_closed_port()), "__HELPLINE_DRAFT": "4242",
                           "__HELPLINE_AGENT_TALK": "1"})
        finally:
            await ami.action({"Action": "QueueRemove", "Queue": "helpline",
                              "Interface": "Local/agent3@agents/n"}, check=False)

    call = run(scenario())
    called = call.named("AgentCalled")
    connected = call.named("AgentConnect")
    assert called and connected, [e.name for e in call.events]
    assert chan_variables(called[0])["HELPLINE_DRAFT"] == "4242"
    assert chan_variables(connected[0])["HELPLINE_DRAFT"] == "4242"
    assert connected[0]["Queue"] == "helpline"  # any member may answer: other tests share the queue


def _closed_port() -> int:
    """A loopback port nothing listens on: the IVR's AGI fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
