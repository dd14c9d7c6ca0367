"""An agent's real SIP phone in the queue: its state is the device's own (registered or not),
with no Custom: stand-in. SIPp plays the softphone, registering with digest authentication."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from pathlib import Path

from ivr.ami import queue

SCENARIO = Path(__file__).parent / "sipp" / "softphone_register.xml"
PHONE, USER, PASSWORD = "PJSIP/agent1", "agent1", "agent1-dev-only"  # dialplans/pjsip.conf


def register(tmp_path: Path, expires: int) -> None:
    assert shutil.which("sipp"), "SIPp is missing: apt-get install sip-tester"
    result = subprocess.run(
        ["sipp", "127.0.0.1:5160", "-sf", str(SCENARIO), "-i", "127.0.0.1", "-p", "5190", "-m", "1",
         "-key", "user", USER, "-au", USER, "-ap", PASSWORD, "-key", "expires", str(expires),
         "-timeout", "15s", "-timeout_error", "-nostdin"],
        cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_real_phones_are_watched_through_their_own_device():
    assert queue.state_interface(PHONE) == PHONE and queue.ringable(PHONE) is None
    assert queue.state_interface("Local/agent2@agents/n") == "Custom:agent2"
    assert queue.ringable("Local/agent2@agents/n")["Variable"] == "DEVICE_STATE(Custom:agent2)"


def test_a_registered_softphone_is_available_and_unregistered_is_not(ami, run, tmp_path):
    async def member_status() -> str | None:
        status = await ami.action(queue.status())
        for event in status.events:
            if event.name == "QueueMember" and event.get("Location") == PHONE:
                return event.get("Status")
        return None

    def wait_status(wanted: set[str]) -> str | None:
        deadline, seen = time.monotonic() + 10, None
        while time.monotonic() < deadline:
            seen = run(member_status())
            if seen in wanted:
                break
            run(asyncio.sleep(0.2))
        return seen

    register(tmp_path, expires=120)
    run(ami.action(queue.add_member(interface=PHONE, member_name="Agent One"), check=False))
    try:
        assert wait_status({"1"}) == "1", "a registered phone is Not in use (available)"
        register(tmp_path, expires=0)
        assert wait_status({"4", "5"}) in {"4", "5"}, "an unregistered phone is Unavailable"
    finally:
        run(ami.action(queue.remove_member(interface=PHONE), check=False))
        register(tmp_path, expires=0)
