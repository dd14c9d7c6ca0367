"""The AMI client survives an Asterisk restart (runs last: it restarts the shared Asterisk)."""

from __future__ import annotations

from scripts.local_asterisk import cli as local_asterisk
from tests.asterisk_fixtures import restart_asterisk


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
