"""The AMI client and the desk survive an Asterisk restart and an Asterisk gone for a while (runs
last: it restarts and stops the shared Asterisk)."""

from __future__ import annotations

import contextlib
import logging
import queue

from agent_desk.web.ami_bridge import AmiBridge
from agent_desk.web.fanout import Fanout
from ivr.ami import wallboard
from scripts.local_asterisk import cli as local_asterisk
from tests.asterisk_fixtures import restart_asterisk
from tests.e2e.conftest import wait_for


def test_reconnects_after_asterisk_restart(ami, run, asterisk_settings):
    async def scenario():
        await restart_asterisk(ami)
        return await ami.action({"Action": "Ping"})

    try:
        pong = run(scenario(), timeout=60)
    except TimeoutError:
        local_asterisk.up(asterisk_settings)  # leave a working Asterisk for whatever runs next
        raise
    assert pong["Ping"] == "Pong"
    assert ami.connected


def test_the_desk_recovers_its_agents_after_asterisk_was_away(asterisk_settings, caplog):
    """Asterisk stopped for more than a few reconnect periods, then started: the desk's AMI bridge
    (the desk itself never restarted) logs in again by itself and its agents' states and the
    wallboard are Asterisk's again — an agent logged in and paused for lunch still is."""
    interface, username = "Local/agent8@agents/n", "agent8"
    fanout = Fanout()
    states = fanout.subscribe(username)
    bridge = AmiBridge(asterisk_settings, users=lambda: {interface: username}, fanout=fanout).start()
    caplog.set_level(logging.INFO, "ivr.ami.client")
    try:
        assert bridge.wait_connected(15)
        bridge.log_in(interface=interface, member_name="Agent Eight")
        bridge.pause(interface=interface, reason="lunch")
        while _next_state(states) != {"type": "state", "state": "paused", "reason": "lunch"}:
            pass  # logged in (available), then paused
        local_asterisk.down(asterisk_settings)
        try:
            away = wait_for(lambda: _failed_reconnects(caplog) >= 5, timeout=60)  # over 4 periods
        finally:
            local_asterisk.up(asterisk_settings)
        assert away and not bridge.connected
        assert _next_state(states) == {"type": "state", "state": "paused", "reason": "lunch"}, \
            "the bridge re-read the queue from the restarted Asterisk"
        status, channels = (bridge.action(a) for a in wallboard.actions())
        board = wallboard.read_board(status, channels)
        assert [(a.state, a.paused_reason) for a in board.agents if a.interface == interface] == [
            ("paused", "lunch")]
    finally:
        with contextlib.suppress(Exception):
            bridge.log_out(interface=interface)
        bridge.stop()


def _failed_reconnects(caplog) -> int:
    return sum("AMI reconnect to" in r.getMessage() and "failed" in r.getMessage() for r in caplog.records)


def _next_state(states: queue.Queue) -> dict:
    """The agent's next state event that is not a ringing or on-call one (the bridge's own)."""
    while True:
        event = states.get(timeout=45)
        if event.get("type") == "state":
            return event
