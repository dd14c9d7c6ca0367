"""An agent's real SIP phone in the queue is watched through its own device state; only a `Local/`
stand-in needs a Custom: one. (A real phone made by the desk and registering: tests/desk/test_phones_e2e.py.)"""

from __future__ import annotations

from ivr.ami import queue


def test_real_phones_are_watched_through_their_own_device():
    phone = "PJSIP/ravi.sahu-7"
    assert queue.state_interface(phone) == phone and queue.ringable(phone) is None
    assert queue.state_interface("Local/agent2@agents/n") == "Custom:agent2"
    assert queue.ringable("Local/agent2@agents/n")["Variable"] == "DEVICE_STATE(Custom:agent2)"
