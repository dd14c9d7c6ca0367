"""The desk's AMI bridge: a thread running an asyncio loop with one reconnecting AMI client.

It logs agents into the queue, pauses and unpauses them, follows their real state from queue
events, and turns AgentCalled/AgentConnect into screen pops for the agent's browsers.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

from agent_desk.web.fanout import Fanout
from ivr.ami import queue
from ivr.ami.client import (
    RECONNECT_MAX_S,
    RECONNECTED,
    AmiClient,
    AmiError,
    AmiMessage,
    AsteriskUnavailable,
    chan_variables,
)
from ivr.ami.queue import member_state
from models.calls.presence import AgentState
from models.core.settings import Settings

log = logging.getLogger(__name__)

MEMBER_EVENTS = ("QueueMemberStatus", "QueueMemberAdded", "QueueMemberPause", "QueueMemberRemoved")
POP_EVENTS = ("AgentCalled", "AgentConnect")
CALL_END_EVENTS = ("AgentComplete", "AgentRingNoAnswer")
USERS_REREAD_S = 5.0  # an unknown phone re-reads the users at most this often


def canonical(interface: str) -> str:
    """`Local/agent1@agents/n` and `Local/agent1@agents` are the same phone."""
    return interface.removesuffix("/n")


class AmiBridge:
    """One per desk process; `users` maps a phone interface to the username it belongs to."""

    def __init__(self, settings: Settings, users: Callable[[], dict[str, str]], fanout: Fanout):
        self.settings, self._users, self.fanout = settings, users, fanout
        self.states: dict[str, dict] = {}  # interface -> {"state", "reason"}
        self.calls: dict[str, dict] = {}   # interface -> the call it rings or talks on: caller, draft, since
        self._interfaces: dict[str, str] = {}
        self._read_at = -USERS_REREAD_S
        self._loop = asyncio.new_event_loop()
        self._client: AmiClient | None = None
        self._connecting: asyncio.Task | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ami-bridge", daemon=True)

    def start(self) -> "AmiBridge":
        self._thread.start()
        return self

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.connected

    def wait_connected(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    # -- the loop ----------------------------------------------------------------------------

    def stop(self, timeout: float = 5.0) -> None:
        """Close the AMI connection and end the thread (tests; process exit needs nothing)."""
        async def shutdown() -> None:
            if self._connecting is not None:
                self._connecting.cancel()
            if self._client is not None:
                await self._client.close()
            # Let every task (a connect attempt, the client's reader) finish its cancellation, so
            # none is destroyed pending when the loop stops.
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            self._loop.stop()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
            self._thread.join(timeout)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._connecting = self._loop.create_task(self._connect_forever())
        self._loop.run_forever()

    async def _connect_forever(self) -> None:
        delay = 0.5
        while True:
            client = AmiClient.from_settings(self.settings, ping_interval=15.0)
            client.add_listener(self._on_member, *MEMBER_EVENTS)
            client.add_listener(self._on_agent_event, *POP_EVENTS)
            client.add_listener(self._on_call_end, *CALL_END_EVENTS)
            client.add_listener(lambda _m: self._resync(), RECONNECTED)
            try:
                await client.connect()
            except (OSError, AmiError, TimeoutError) as exc:
                log.info("AMI bridge: Asterisk not reachable (%r); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
                continue
            self._client = client
            self._ready.set()
            await self._resync()
            log.info("AMI bridge connected (%s)", client.banner)
            return

    async def _resync(self) -> None:
        """Rebuild the states from QueueStatus (at start and after Asterisk restarts)."""
        try:
            response = await self._client.action(queue.status())
        except (AmiError, TimeoutError) as exc:
            log.warning("AMI bridge: QueueStatus failed: %r", exc)
            return
        seen = set()
        for event in response.events:
            if event.name == "QueueMember":
                interface = event.get("Location") or event.get("Interface", "")
                seen.add(interface)
                await self._set_state(interface, member_state(status=event.get("Status"),
                                                              paused=event.get("Paused")),
                                      event.get("PausedReason", ""))
        for interface in list(self.states):
            if interface not in seen:
                await self._set_state(interface, AgentState.LOGGED_OUT, "")

    # -- events ------------------------------------------------------------------------------

    async def _username_of(self, interface: str) -> str | None:
        """The desk user whose phone this is (the map is re-read off the loop when unknown)."""
        interface = canonical(interface)
        now = time.monotonic()
        if interface not in self._interfaces and now - self._read_at > USERS_REREAD_S:
            self._read_at = now
            self._interfaces = {canonical(k): v for k, v in (await asyncio.to_thread(self._users)).items()}
        return self._interfaces.get(interface)

    async def _set_state(self, interface: str, state: AgentState, reason: str) -> None:
        self.states[canonical(interface)] = {"state": state.value, "reason": reason}
        username = await self._username_of(interface)
        if username:
            self.fanout.publish(username, {"type": "state", "state": state.value, "reason": reason})

    async def _on_member(self, message: AmiMessage) -> None:
        interface = message.get("Interface") or message.get("Location", "")
        if message.name == "QueueMemberRemoved":
            await self._set_state(interface, AgentState.LOGGED_OUT, "")
            return
        await self._set_state(interface, member_state(status=message.get("Status"), paused=message.get("Paused")),
                              message.get("PausedReason") or message.get("Reason", ""))

    async def _on_agent_event(self, message: AmiMessage) -> None:
        interface = message.get("Interface") or message.get("MemberName", "")
        variables = chan_variables(message)
        if message.name in POP_EVENTS:  # the wallboard shows every agent's call, a desk user or not
            self.calls[canonical(interface)] = {
                "caller": message.get("CallerIDNum", ""), "draft": variables.get("HELPLINE_DRAFT") or None,
                "since": time.time()}
        username = await self._username_of(interface)
        if not username or message.name not in POP_EVENTS:
            return
        pop = {"type": "pop", "event": message.name, "draft": variables.get("HELPLINE_DRAFT") or None,
               "caller": message.get("CallerIDNum", ""), "uniqueid": message.get("Uniqueid", "")}
        delivered = self.fanout.publish(username, pop)
        log.info("screen pop %s for %s (draft %s) to %d stream(s)", message.name, username,
                 pop["draft"], delivered)
        state = AgentState.RINGING if message.name == "AgentCalled" else AgentState.ON_CALL
        await self._set_state(interface, state, "")

    async def _on_call_end(self, message: AmiMessage) -> None:
        self.calls.pop(canonical(message.get("Interface") or message.get("MemberName", "")), None)

    def call_of(self, interface: str) -> dict | None:
        """The call the agent's phone rings or talks on, as the AMI events told (None if none)."""
        return self.calls.get(canonical(interface))

    # -- actions from the views (any thread) -------------------------------------------------

    def action(self, action: dict, timeout: float = 5.0) -> AmiMessage:
        """Run one AMI action on the bridge's connection and wait for its response."""
        if not self.connected:
            raise AsteriskUnavailable("no connection to Asterisk")
        future = asyncio.run_coroutine_threadsafe(self._client.action(action, timeout=timeout), self._loop)
        try:
            return future.result(timeout + 1)
        except (AmiError, TimeoutError) as exc:
            raise AsteriskUnavailable(str(exc)) from exc

    def log_in(self, *, interface: str, member_name: str) -> None:
        """Join the queue (unpaused) and make the phone ring-able."""
        stand_in = queue.ringable(interface)
        if stand_in is not None:
            self.action(stand_in)
        try:
            self.action(queue.add_member(interface=interface, member_name=member_name))
        except AsteriskUnavailable as exc:
            if "Already there" not in str(exc):
                raise

    def pause(self, *, interface: str, reason: str) -> None:
        self.action(queue.pause_member(interface=interface, reason=reason))

    def unpause(self, *, interface: str) -> None:
        self.action(queue.unpause_member(interface=interface))

    def log_out(self, *, interface: str) -> None:
        self.action(queue.remove_member(interface=interface))

    def state_of(self, interface: str) -> dict:
        return self.states.get(canonical(interface), {"state": AgentState.LOGGED_OUT.value, "reason": ""})
