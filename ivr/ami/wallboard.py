"""The queue as a wallboard shows it, read from Asterisk itself: `QueueStatus` (the queue's
counters, each waiting caller, each member) and `CoreShowChannels` (callers still in the IVR).
Asterisk is the source of truth for the live numbers, so a missed event or a restart of the desk
heals at the next read; the counters are Asterisk's own since it started (docs/desk.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from ivr.ami import queue
from ivr.ami.protocol import AmiMessage
from models.calls.presence import AgentState

IVR_CONTEXT = "helpline-inbound"


@dataclass(frozen=True)
class AgentOnBoard:
    name: str
    interface: str
    state: str
    paused_reason: str
    since: str | None       # ISO-8601 (UTC): when the agent entered this state, as Asterisk knows it
    calls_taken: int
    caller: str | None = None        # on a call or ringing: the caller's number
    draft: str | None = None         # and the complaint (draft) the call is about
    average_handle_s: int | None = None  # today's calls, from the call history


@dataclass(frozen=True)
class QueueBoard:
    queue: str
    waiting: int
    longest_wait_s: int
    in_ivr: int
    answered: int
    abandoned: int
    service_level: float | None  # % answered within the threshold; None before any call
    service_level_s: int
    average_wait_s: int
    average_talk_s: int
    agents: list[AgentOnBoard] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


def actions() -> tuple[dict, dict]:
    """What to ask Asterisk, in one round trip each."""
    return queue.status(), {"Action": "CoreShowChannels"}


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def _iso(epoch: int) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat() if epoch > 0 else None


def _agent(event: AmiMessage) -> AgentOnBoard:
    state = queue.member_state(status=event.get("Status"), paused=event.get("Paused"))
    if event.get("InCall") == "1" and state is not AgentState.PAUSED:
        state = AgentState.ON_CALL  # a Local/ stand-in's custom device state says nothing of calls
    if state is AgentState.PAUSED:
        since = _int(event.get("LastPause"))
    elif state in (AgentState.ON_CALL, AgentState.RINGING):
        since = 0  # Asterisk keeps no start for the current call; the desk's events have it
    else:
        since = max(_int(event.get("LastCall")), _int(event.get("LoginTime")))
    return AgentOnBoard(name=event.get("Name") or event.get("MemberName") or "",
                        interface=event.get("Location") or event.get("Interface") or "",
                        state=state.value, paused_reason=event.get("PausedReason") or "",
                        since=_iso(since), calls_taken=_int(event.get("CallsTaken")))


def callers_in_ivr(channels: AmiMessage) -> int:
    """Inbound callers the IVR still has (in the helpline's context, not yet in the queue)."""
    return sum(1 for e in channels.events if e.name == "CoreShowChannel"
               and e.get("Context") == IVR_CONTEXT and e.get("Application") == "AGI")


def read_board(status: AmiMessage, channels: AmiMessage) -> QueueBoard:
    params = next((e for e in status.events if e.name == "QueueParams"
                   and e.get("Queue") == queue.QUEUE), None)
    entries = [e for e in status.events if e.name == "QueueEntry" and e.get("Queue") == queue.QUEUE]
    members = [e for e in status.events if e.name == "QueueMember" and e.get("Queue") == queue.QUEUE]
    get = params.get if params is not None else (lambda _k, _d=None: None)
    answered = _int(get("Completed"))
    return QueueBoard(
        queue=queue.QUEUE, waiting=len(entries),
        longest_wait_s=max((_int(e.get("Wait")) for e in entries), default=0),
        in_ivr=callers_in_ivr(channels), answered=answered, abandoned=_int(get("Abandoned")),
        service_level=round(float(get("ServicelevelPerf") or 0), 1) if answered else None,
        service_level_s=_int(get("ServiceLevel")),
        average_wait_s=_int(get("Holdtime")), average_talk_s=_int(get("TalkTime")),
        agents=sorted((_agent(m) for m in members), key=lambda a: a.name))
