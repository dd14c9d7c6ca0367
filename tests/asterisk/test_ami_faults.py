"""The AMI client against bytes the real Asterisk does not send and a connection that silently
dies: a fake AMI peer on a socket (it records every action it was asked) plays them; the client
keeps going or reconnects by itself. The real Asterisk's restart and absence are in
test_restart.py. (issue 16: AMI)"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from ivr.ami.client import RECONNECTED, AmiClient
from ivr.ami.protocol import parse_message

MALFORMED = [
    b"Event: QueueMemberStatus\r\nInterface: Local/\xff\xfe@agents\r\nStatus: \xc3\r\n\r\n",  # not UTF-8
    b"Event: Odd\r\na line with no colon\r\n:\r\n: no name\r\n\r\n",
    b"\r\n\r\n\r\n\r\n",                                        # empty blocks
    b"Nonsense: neither an event nor a response\r\n\r\n",
    b"Response: Success\r\nActionID: nobody-asked-1\r\n\r\n",  # an answer to no action
    b"Response: Success\r\nActionID: nobody-asked-2\r\nEventList: start\r\n\r\n",
    b"Event: QueueStatusComplete\r\nActionID: nobody-asked-2\r\nEventList: Complete\r\n\r\n",
    b"Event: Bare\nline: endings\n\n",                         # LF only: runs into the next block
    b"Event: " + b"x" * 100_000 + b"\r\n\r\n",                  # long, within the client's 4 MB
]
GOOD = b"Event: QueueMemberPause\r\nInterface: Local/agent7@agents\r\nPaused: 1\r\n\r\n"


class FakeAmi:
    """An AMI peer: banner, login, Ping; `scripts[n]` is what connection n does after login
    (`send(bytes)` and `silent()` to stop answering). `asked` keeps every action, per connection."""

    def __init__(self, scripts: list[Callable]):
        self.scripts = scripts
        self.asked: list[list[dict]] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        asked: list[dict] = []
        self.asked.append(asked)
        script = self.scripts[min(len(self.asked), len(self.scripts)) - 1]
        answering = {"on": True}
        writer.write(b"Asterisk Call Manager/9.0.0\r\n")
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while True:
                action = dict(parse_message((await reader.readuntil(b"\r\n\r\n"))[:-4]))
                asked.append(action)
                if action.get("Action") == "Login":
                    writer.write(_answer(action, "Message: Authentication accepted"))
                    await writer.drain()
                    asyncio.ensure_future(script(writer, answering))
                elif answering["on"]:
                    writer.write(_answer(action, "Ping: Pong" if action.get("Action") == "Ping" else ""))
        writer.close()


def _answer(action: dict, extra: str) -> bytes:
    lines = ["Response: Success", f"ActionID: {action.get('ActionID', '')}"] + ([extra] if extra else [])
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_malformed_events_neither_stop_the_client_nor_its_subscribers():
    async def malformed_then_good(writer, answering):
        for raw in MALFORMED:
            writer.write(raw)
        writer.write(GOOD)
        await writer.drain()

    async def scenario():
        peer = FakeAmi([malformed_then_good])
        port = await peer.start()
        client = AmiClient(host="127.0.0.1", port=port, username="u", secret="s", ping_interval=0)
        called = []
        client.add_listener(lambda m: called.append(m.name) or 1 / 0, "Odd")  # a listener that fails
        with client.events("QueueMemberPause") as pauses:
            await client.connect()
            good = await pauses.get(timeout=10)
            pong = await client.action({"Action": "Ping"})
        await client.close()
        await peer.stop()
        return good, pong, called

    good, pong, called = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert good["Interface"] == "Local/agent7@agents" and good["Paused"] == "1"
    assert pong["Ping"] == "Pong"
    assert called == ["Odd"], "the failing listener was called and the reader went on"


def test_an_over_long_message_drops_the_connection_and_the_client_reconnects():
    async def too_long(writer, answering):
        writer.write(b"Event: Huge\r\nData: " + b"x" * (5 * 1024 * 1024))  # past the 4 MB limit
        await writer.drain()

    async def fine(writer, answering):
        writer.write(GOOD)
        await writer.drain()

    async def scenario():
        peer = FakeAmi([too_long, fine])
        port = await peer.start()
        client = AmiClient(host="127.0.0.1", port=port, username="u", secret="s", ping_interval=0)
        with client.events(RECONNECTED, "QueueMemberPause") as stream:
            await client.connect()
            seen = {(await stream.get(timeout=15)).name for _ in range(2)}
        pong = await client.action({"Action": "Ping"})
        await client.close()
        await peer.stop()
        return seen, pong, peer.asked

    seen, pong, asked = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert seen == {RECONNECTED, "QueueMemberPause"}
    assert pong["Ping"] == "Pong"
    assert [a[0]["Action"] for a in asked[:2]] == ["Login", "Login"], "a second login on a new connection"


def test_a_connection_that_silently_dies_while_idle_is_replaced_by_the_keepalive():
    """An hour idle behind a NAT or firewall can leave a connection that takes bytes and never
    answers: the keepalive's Ping goes unanswered, the client drops it and logs in again (the
    hour simulated with a half-second keepalive)."""

    async def goes_silent(writer, answering):
        answering["on"] = False

    async def fine(writer, answering):
        pass

    async def scenario():
        peer = FakeAmi([goes_silent, fine])
        port = await peer.start()
        client = AmiClient(host="127.0.0.1", port=port, username="u", secret="s", ping_interval=0.5)
        with client.events(RECONNECTED) as stream:
            await client.connect()
            await stream.get(timeout=15)
        pong = await client.action({"Action": "Ping"})
        await client.close()
        await peer.stop()
        return pong, peer.asked

    pong, asked = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert pong["Ping"] == "Pong"
    assert [a["Action"] for a in asked[0]][:2] == ["Login", "Ping"], "the dead connection was pinged"
    assert asked[1][0]["Action"] == "Login"
