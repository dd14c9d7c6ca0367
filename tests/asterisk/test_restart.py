"""The AMI client survives an Asterisk restart (runs last: it restarts the shared Asterisk)."""

from __future__ import annotations

import contextlib

from ivr.ami.client import RECONNECTED, AmiError
from scripts.local_asterisk import cli as local_asterisk


def test_reconnects_after_asterisk_restart(ami, run, asterisk_settings):
    async def scenario():
        with ami.events(RECONNECTED) as stream:
            with contextlib.suppress(AmiError):  # the connection may drop before the answer
                await ami.action({"Action": "Command", "Command": "core restart now"}, check=False)
            await stream.get(timeout=45)
        return await ami.action({"Action": "Ping"})

    try:
        pong = run(scenario(), timeout=60)
    except TimeoutError:
        local_asterisk.up(asterisk_settings)  # leave a working Asterisk for whatever runs next
        raise
    assert pong["Ping"] == "Pong"
    assert ami.connected
