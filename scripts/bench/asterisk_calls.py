"""Real calls through the local Asterisk into a fresh `helpline ivr`: Asterisk's CPU seconds per
call beside the IVR's, for the same calls.

Each call is a Local/ channel originated through AMI (scripts/demo_citizen.py, as tests/e2e do):
the citizen's leg keys Hindi, a new complaint and district 27, then hangs up while the
description is being recorded, so the IVR still files the draft and finishes the call record,
and no call reaches the agents' queue (which other engineers' tests may be staffing). Asterisk is
shared: its CPU over an idle stretch just before is subtracted as the background.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select

from ivr.ami.client import AmiClient
from models.calls.call import Call
from models.core.settings import get_settings
from scripts.bench.ivr_process import cpu_seconds, ivr_server, settled_cpu
from scripts.demo_citizen import place_citizen_call
from scripts.local_asterisk.cli import running

log = logging.getLogger(__name__)

# Language 1 during the welcome, menu 1, district 27#; hang up a few seconds into the recording
# (the district's confirmation and "record after the beep" play for about 10 s before it).
CITIZEN_STEPS = "w2^d1^w2^d1^w3^d27#^w14^h"
CALL_TIMEOUT_S = 90


@dataclass
class RealCalls:
    calls: int
    answered: int
    completed: int            # a finished call record with its draft complaint
    wall_s: float
    asterisk_cpu_ms: float    # per call, the background subtracted
    asterisk_raw_cpu_ms: float
    background_cpu_per_s: float
    ivr_cpu_ms: float         # per call, the `helpline ivr` process

    def as_dict(self) -> dict:
        return asdict(self)


async def real_calls(n: int, database_url: str, workdir: Path, warm_up, *, ramp_s: float = 10.0,
                     idle_s: float = 5.0) -> RealCalls:
    """`n` calls arriving over `ramp_s` into a fresh IVR server on `database_url`."""
    settings = get_settings()
    state = await _asterisk_up(settings)
    from ivr.prompts.build import build_prompts

    build_prompts(prompts_dir=settings.prompts_dir)  # unchanged prompts are not rendered again
    env = {**os.environ, "HELPLINE_DATABASE_URL": database_url, "HELPLINE_IVR_SPEECH": "off",
           "HELPLINE_SECRET_KEY": os.environ.get("HELPLINE_SECRET_KEY", "bench")}
    ami = AmiClient.from_settings(settings, ping_interval=5)
    await ami.connect()
    try:
        async with ivr_server(env, workdir, warm_up) as (port, ivr_pid, _):
            background = await _cpu_per_s(state.pid, idle_s)
            asterisk, ivr, start = cpu_seconds(state.pid), cpu_seconds(ivr_pid), time.monotonic()
            placed = await asyncio.gather(*(_one(ami, i, n, ramp_s, port) for i in range(n)))
            wall = time.monotonic() - start
            asterisk = cpu_seconds(state.pid) - asterisk
            ivr = await settled_cpu(ivr_pid) - ivr
    finally:
        await ami.close()
    if not state.alive():
        raise AsteriskRestarted("the local Asterisk was restarted during the calls: its CPU figure is void")
    uniqueids = [c.ivr_uniqueid for c in placed]
    _remove_recordings(settings.recordings_dir, uniqueids)
    return RealCalls(
        calls=n, answered=sum(c.answered for c in placed), completed=_completed(database_url, uniqueids),
        wall_s=round(wall, 1), asterisk_cpu_ms=max(0.0, asterisk - background * wall) * 1e3 / n,
        asterisk_raw_cpu_ms=asterisk * 1e3 / n, background_cpu_per_s=background, ivr_cpu_ms=ivr * 1e3 / n)


class AsteriskRestarted(RuntimeError):
    pass


async def _asterisk_up(settings, wait_s: float = 120.0):
    """The running Asterisk's state; while another test restarts it, wait (up to wait_s)."""
    deadline = time.monotonic() + wait_s
    while (state := running(settings)) is None:
        if time.monotonic() > deadline:
            raise AsteriskRestarted("the local Asterisk is down: run `helpline asterisk up`")
        await asyncio.sleep(1)
    return state


async def _one(ami: AmiClient, i: int, n: int, ramp_s: float, port: int):
    await asyncio.sleep(ramp_s * i / max(1, n))
    return await place_citizen_call(ami, caller=f"98271{i:05d}", steps=CITIZEN_STEPS, timeout=CALL_TIMEOUT_S,
                                    variables={"HELPLINE_AGI_PORT": str(port)})


async def _cpu_per_s(pid: int, seconds: float) -> float:
    """Asterisk's CPU seconds per second with none of our calls (other engineers' calls, timers)."""
    before, start = cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.monotonic() - start)


def _completed(database_url: str, uniqueids: list[str]) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Call).where(
                Call.uniqueid.in_(uniqueids), Call.ended_at.is_not(None), Call.complaint_id.is_not(None)))
    finally:
        engine.dispose()


def _remove_recordings(folder: Path, uniqueids: list[str]) -> None:
    """Our calls' recordings only (the folder is shared with everyone's calls)."""
    for uniqueid in uniqueids:
        for path in folder.glob(f"{uniqueid}.*"):
            path.unlink(missing_ok=True)
