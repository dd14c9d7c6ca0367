"""Asterisk restarted while callers are in the IVR: the FastAGI server logs each call's end,
finishes its call record, and serves the next call. (issue 16: calls; restarts the shared
Asterisk, as tests/asterisk/test_restart.py does.)"""

from __future__ import annotations

import asyncio
import logging

from models.calls import service as calls
from models.core.db import new_session
from scripts.demo_citizen import place_citizen_call
from scripts.local_asterisk import cli as local_asterisk
from tests.asterisk_fixtures import restart_asterisk
from tests.e2e.conftest import wait_for
from tests.e2e.test_ivr_calls import journey_of

CALLERS = [f"98260004{n:02d}" for n in range(3)]


def records_of(callers: list[str]) -> list:
    with new_session() as session:
        return [c for number in callers for c in calls.calls_of_caller(session=session, caller_number=number)]


def test_calls_in_the_ivr_when_asterisk_restarts(ivr_server, ami, run, dial, asterisk_settings, caplog):
    caplog.set_level(logging.INFO, "ivr.agi.server")
    variables = {"HELPLINE_AGI_PORT": str(ivr_server.settings.agi_port)}

    async def scenario():
        # The callers say nothing: the IVR holds each for its menus' time-outs (over 20 s).
        placed = [asyncio.ensure_future(place_citizen_call(ami, caller=number, steps="w60", timeout=90,
                                                           variables=variables)) for number in CALLERS]
        in_ivr = await asyncio.to_thread(
            wait_for, lambda: len([c for c in records_of(CALLERS) if c.ended_at is None]) == len(CALLERS),
            timeout=30)
        assert in_ivr, "the three calls reached the IVR"
        try:
            await restart_asterisk(ami)
        finally:
            for call in placed:
                call.cancel()
            await asyncio.gather(*placed, return_exceptions=True)

    try:
        run(scenario(), timeout=90)
    except TimeoutError:
        local_asterisk.up(asterisk_settings)  # leave a working Asterisk for whatever runs next
        raise
    ended = wait_for(lambda: all(c.ended_at for c in records_of(CALLERS)), timeout=20)
    records = records_of(CALLERS)
    assert ended and len(records) == len(CALLERS), [(c.uniqueid, c.ended_at) for c in records]
    assert all(c.disposition == "hangup" for c in records), [c.disposition for c in records]
    logged = [r.getMessage() for r in caplog.records if r.name == "ivr.agi.server"]
    for record in records:
        assert any(record.uniqueid in line and "hung up" in line for line in logged), (record.uniqueid, logged)
    # The next caller, on the restarted Asterisk and the same FastAGI server, is served.
    call = dial("9826000499", "w2^d2^w2^d0^w6")
    journey = wait_for(lambda: journey_of(call.ivr_uniqueid))
    assert journey and ("event", "language", "en") in [(s["kind"], s["name"], s["value"]) for s in journey["steps"]]
