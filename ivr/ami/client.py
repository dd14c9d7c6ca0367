"""A small asyncio AMI client: login, correlated actions, event streams, keepalive, reconnect."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import logging
import os
from collections.abc import Callable, Mapping

from ivr.ami.events import EventStream, Listener
from ivr.ami.protocol import AmiMessage, chan_variables, encode_action, parse_message
from models.core.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["RECONNECTED", "AmiClient", "AmiError", "AsteriskUnavailable", "AmiMessage", "EventStream", "chan_variables", "run_action"]

RECONNECTED = "AmiReconnected"  # a synthetic event streams receive after a reconnect
# Tries while Asterisk is away come at most this far apart: a restarted Asterisk is back on the
# desk's wallboard and screen pops within seconds, and a try costs one connection attempt.
RECONNECT_MAX_S = 2.0


class AsteriskUnavailable(RuntimeError):
    """Asterisk cannot be reached (no AMI connection) or cannot be found or run here."""


class AmiError(Exception):
    """An action failed (Response: Error), or the connection did."""

    def __init__(self, message: str, response: AmiMessage | None = None):
        super().__init__(message)
        self.response = response


class _Pending:
    def __init__(self, future: asyncio.Future):
        self.future = future
        self.response: AmiMessage | None = None  # set when an event list follows


class AmiClient:
    """One AMI connection, re-established with backoff when Asterisk goes away."""

    def __init__(self, *, host: str, port: int, username: str, secret: str, events: bool = True,
                 ping_interval: float = 20.0, reconnect: bool = True, timeout: float = 10.0):
        self.host, self.port, self.username, self._secret = host, port, username, secret
        self.events_on, self.ping_interval, self.reconnect, self.timeout = events, ping_interval, reconnect, timeout
        self.banner = ""
        self._ids = itertools.count(1)
        self._prefix = f"hl{os.getpid()}-{id(self) & 0xFFFF:x}"
        self._pending: dict[str, _Pending] = {}
        self._subscribers: list[EventStream | Listener] = []
        self._connected = asyncio.Event()
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task | None = None
        self._tasks: list[asyncio.Task] = []
        self._closing = False

    @classmethod
    def from_settings(cls, settings: Settings, **options) -> "AmiClient":
        return cls(host=settings.ami_host, port=settings.ami_port, username=settings.ami_user,
                   secret=str(settings.ami_secret), **options)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def connect(self) -> "AmiClient":
        """Connect and log in (raises when that fails); then keep the connection alive."""
        await self._open()
        self._tasks.append(asyncio.create_task(self._supervise(), name="ami-supervisor"))
        if self.ping_interval > 0:
            self._tasks.append(asyncio.create_task(self._keepalive(), name="ami-keepalive"))
        return self

    async def action(self, action: Mapping[str, object], *, timeout: float | None = None,
                     check: bool = True) -> AmiMessage:
        """Send one action; its response, with `.events` filled for list actions (until *Complete)."""
        async with asyncio.timeout(timeout or self.timeout):
            await self._connected.wait()
            response = await self._send(action)
        if check and not response.ok:
            raise AmiError(f"{action.get('Action')}: {response.get('Message', 'error')}", response)
        return response

    def events(self, *names: str) -> EventStream:
        """Subscribe to events by name (all when none); close() or use `with` to stop."""
        stream = EventStream(names, self._unsubscribe)
        self._subscribers.append(stream)
        return stream

    def add_listener(self, callback: Callable[[AmiMessage], object], *names: str) -> Listener:
        listener = Listener(callback, names)
        self._subscribers.append(listener)
        return listener

    def remove_listener(self, listener: Listener) -> None:
        self._unsubscribe(listener)

    async def close(self) -> None:
        """Log off and stop reconnecting."""
        self._closing = True
        if self.connected:
            with contextlib.suppress(Exception):
                await self.action({"Action": "Logoff"}, timeout=2, check=False)
        for task in [*self._tasks, self._reader_task]:
            if task:
                task.cancel()
        for task in [*self._tasks, self._reader_task]:
            if task:
                with contextlib.suppress(BaseException):
                    await task
        self._lost("closed")

    async def __aenter__(self) -> "AmiClient":
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the connection --------------------------------------------------------------------

    async def _open(self) -> None:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, limit=4 * 1024 * 1024), self.timeout)
        try:
            banner = await asyncio.wait_for(reader.readline(), self.timeout)
            if not banner.startswith(b"Asterisk Call Manager"):
                raise AmiError(f"not an AMI server: {banner[:60]!r}")
            self.banner = banner.decode().strip()
            self._writer = writer
            self._reader_task = asyncio.create_task(self._read_loop(reader), name="ami-reader")
            login = {"Action": "Login", "Username": self.username, "Secret": self._secret,
                     "Events": "on" if self.events_on else "off"}
            response = await asyncio.wait_for(self._send(login), self.timeout)
            if not response.ok:
                raise AmiError(f"AMI login as {self.username} refused: {response.get('Message')}", response)
        except BaseException:
            writer.close()
            if self._reader_task:
                self._reader_task.cancel()
            raise
        self._connected.set()
        log.debug("AMI connected to %s:%s (%s)", self.host, self.port, self.banner)

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                block = await reader.readuntil(b"\r\n\r\n")
                self._dispatch(parse_message(block[:-4]))
        except (asyncio.IncompleteReadError, ConnectionError, OSError, asyncio.LimitOverrunError) as exc:
            log.debug("AMI connection ended: %r", exc)

    async def _supervise(self) -> None:
        while not self._closing:
            if self._reader_task:
                with contextlib.suppress(asyncio.CancelledError):
                    await self._reader_task
            if self._closing:
                return
            self._lost("connection lost")
            if not self.reconnect:
                return
            await self._reopen()

    async def _reopen(self) -> None:
        delay = 0.25
        while not self._closing:
            await asyncio.sleep(delay)
            try:
                await self._open()
            except (OSError, AmiError, TimeoutError) as exc:
                log.info("AMI reconnect to %s:%s failed (%r); retrying in %.1f s", self.host, self.port, exc, delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
                continue
            log.info("AMI reconnected to %s:%s", self.host, self.port)
            self._dispatch(AmiMessage(Event=RECONNECTED))
            return

    async def _keepalive(self) -> None:
        """Ping when idle; a Ping that gets no answer drops the connection so it is re-made."""
        while not self._closing:
            await asyncio.sleep(self.ping_interval)
            if not self.connected:
                continue
            try:
                await self.action({"Action": "Ping"}, timeout=min(self.timeout, self.ping_interval))
            except (AmiError, TimeoutError) as exc:
                log.warning("AMI keepalive failed (%r); reconnecting", exc)
                if self._writer:
                    self._writer.transport.abort()

    def _lost(self, why: str) -> None:
        self._connected.clear()
        if self._writer:
            self._writer.close()
            self._writer = None
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_exception(AmiError(f"AMI {why}"))
        self._pending.clear()

    # -- messages --------------------------------------------------------------------------

    async def _send(self, action: Mapping[str, object]) -> AmiMessage:
        if not self._writer:
            raise AmiError("AMI not connected")
        action_id = f"{self._prefix}-{next(self._ids)}"
        pending = _Pending(asyncio.get_running_loop().create_future())
        self._pending[action_id] = pending
        try:
            self._writer.write(encode_action({**action, "ActionID": action_id}))
            await self._writer.drain()
            return await pending.future
        finally:
            self._pending.pop(action_id, None)

    def _dispatch(self, message: AmiMessage) -> None:
        pending = self._pending.get(message.get("ActionID", ""))
        if pending and not pending.future.done():
            if "Response" in message:
                if message.get("EventList", "").lower() == "start":
                    pending.response = message
                else:
                    pending.future.set_result(message)
                return
            if pending.response is not None:
                if message.get("EventList", "").lower() == "complete":
                    pending.response["Complete"] = message.name
                    pending.future.set_result(pending.response)
                else:
                    pending.response.events.append(message)
                return
        if "Event" in message:
            for subscriber in list(self._subscribers):
                if subscriber.wants(message):
                    subscriber.put(message)

    def _unsubscribe(self, subscriber: EventStream | Listener) -> None:
        with contextlib.suppress(ValueError):
            self._subscribers.remove(subscriber)


def run_action(settings: Settings, action: Mapping[str, object], *, timeout: float = 10.0) -> AmiMessage:
    """One action on a fresh connection, from synchronous code (Flask views, scripts)."""

    async def once() -> AmiMessage:
        client = AmiClient.from_settings(settings, events=False, ping_interval=0, reconnect=False,
                                         timeout=timeout)
        await client.connect()
        try:
            return await client.action(action, timeout=timeout)
        finally:
            await client.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(once())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # called inside a loop
        return pool.submit(asyncio.run, once()).result()
