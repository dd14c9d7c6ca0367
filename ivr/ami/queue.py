"""The helpline queue as Asterisk names it: its name, member device states and the actions on members."""

from __future__ import annotations

from models.calls.presence import AgentState

QUEUE = "helpline"

# Asterisk device states (QueueMember Status field) -> what the desk shows.
DEVICE_STATES = {
    "0": AgentState.UNAVAILABLE, "1": AgentState.AVAILABLE, "2": AgentState.ON_CALL,
    "3": AgentState.ON_CALL, "4": AgentState.UNAVAILABLE, "5": AgentState.UNAVAILABLE,
    "6": AgentState.RINGING, "7": AgentState.RINGING, "8": AgentState.ON_CALL,
}


def member_state(*, status: str | None, paused: str | None) -> AgentState:
    """The agent's state from a QueueMember* event's Status and Paused fields."""
    if paused == "1":
        return AgentState.PAUSED
    return DEVICE_STATES.get(str(status), AgentState.AVAILABLE)


def state_interface(phone_interface: str) -> str:
    """The device whose state Asterisk watches for a member: a real phone (`PJSIP/agent1`) reports
    its own; a `Local/agent1@agents` stand-in has none, so a custom one, `Custom:agent1`, stands in."""
    if not phone_interface.startswith("Local/"):
        return phone_interface
    name = phone_interface.split("/", 1)[-1].split("@", 1)[0]
    return f"Custom:{name}"


def add_member(*, interface: str, member_name: str) -> dict:
    """QueueAdd: the phone joins the queue unpaused, watched through its device state."""
    return {"Action": "QueueAdd", "Queue": QUEUE, "Interface": interface, "Penalty": 0,
            "Paused": "false", "MemberName": member_name, "StateInterface": state_interface(interface)}


def ringable(interface: str) -> dict | None:
    """For a Local/ stand-in only: Setvar DEVICE_STATE(Custom:…)=NOT_INUSE, so it can be rung."""
    if not interface.startswith("Local/"):
        return None
    return {"Action": "Setvar", "Variable": f"DEVICE_STATE({state_interface(interface)})", "Value": "NOT_INUSE"}


def pause_member(*, interface: str, reason: str) -> dict:
    return {"Action": "QueuePause", "Queue": QUEUE, "Interface": interface, "Paused": "true", "Reason": reason}


def unpause_member(*, interface: str) -> dict:
    return {"Action": "QueuePause", "Queue": QUEUE, "Interface": interface, "Paused": "false"}


def remove_member(*, interface: str) -> dict:
    return {"Action": "QueueRemove", "Queue": QUEUE, "Interface": interface}


def status() -> dict:
    return {"Action": "QueueStatus", "Queue": QUEUE}


# ChanSpy on an agent's call, from the supervisor's own phone: b only a bridged call, q no beep
# or name announcement, E end when the spied call ends; w whisper to the agent only, B barge
# (both parties hear the supervisor).
SPY_OPTIONS = {"listen": "bqE", "whisper": "bqwE", "barge": "bqBE"}


def spy(*, supervisor_phone: str, agent_phone: str, mode: str) -> dict:
    """Originate: ring the supervisor's phone; when answered it runs ChanSpy on the agent's channel
    (a channel-name prefix: `PJSIP/ravi.sahu-7`, `Local/agent1@agents`)."""
    if mode not in SPY_OPTIONS:
        raise ValueError(f"mode must be one of {', '.join(SPY_OPTIONS)}, not {mode!r}")
    target = agent_phone.removesuffix("/n")
    return {"Action": "Originate", "Channel": supervisor_phone, "Application": "ChanSpy",
            "Data": f"{target},{SPY_OPTIONS[mode]}", "CallerID": f'"{mode}" <{target}>',
            "Timeout": 30000, "Async": "true"}
