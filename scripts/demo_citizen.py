"""A simulated citizen's call into the local Asterisk: AMI Originate of a Local/ channel."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivr.ami.client import AmiClient, AmiError, AmiMessage

log = logging.getLogger(__name__)

SIM_CONTEXT = "citizen-sim"
INBOUND_CONTEXT = "helpline-inbound"
DTMF_KEYS = set("0123456789*#ABCD")


def sim_steps(*, keys: str = "", speech: Path | None = None, lead_wait: float = 2.0) -> str:
    """HELPLINE_SIM for keys ('w' waits a second) then speech: 'w2^d1^w1^d5#^p/path/file'."""
    steps = [f"w{lead_wait:g}"] if lead_wait > 0 else []
    digits = ""
    for key in keys.replace(" ", ""):
        if key in "wW":
            if digits:
                steps.append(f"d{digits}")
                digits = ""
            steps.append("w1")
        elif key.upper() in DTMF_KEYS:
            digits += key.upper()
        else:
            raise ValueError(f"not a phone key: {key!r} (use 0-9 * # and w to wait)")
    if digits:
        steps.append(f"d{digits}")
    if speech is not None:
        if any(c in str(speech) for c in ",^"):
            raise ValueError(f"a played file's path may not contain ',' or '^': {speech}")
        steps.append(f"p{speech.with_suffix('')}")
    return "^".join(steps)


@dataclass
class CitizenCall:
    """What happened on one simulated call, from the AMI events of its channels."""

    caller: str
    citizen_uniqueid: str  # the Local/;1 leg running citizen-sim
    ivr_uniqueid: str  # the Local/;2 leg running the helpline dialplan (agi_uniqueid)
    events: list[AmiMessage] = field(default_factory=list)
    answered: bool = False
    timed_out: bool = False

    def named(self, *names: str) -> list[AmiMessage]:
        return [e for e in self.events if e.name in names]

    @property
    def dtmf_received(self) -> str:
        """Keys the helpline side received, in order."""
        return "".join(e.get("Digit", "") for e in self.named("DTMFEnd")
                       if e.get("Uniqueid") == self.ivr_uniqueid and e.get("Direction") == "Received")

    @property
    def hangup_cause(self) -> str | None:
        for event in self.named("Hangup"):
            if event.get("Uniqueid") == self.ivr_uniqueid:
                return event.get("Cause-txt")
        return None


async def helpline_number(ami: AmiClient) -> str:
    """The dialplan's ${HELPLINE_NUMBER} global."""
    response = await ami.action({"Action": "Getvar", "Variable": "GLOBAL(HELPLINE_NUMBER)"})
    return response.get("Value") or "1100"


async def place_citizen_call(ami: AmiClient, *, caller: str, steps: str, timeout: float = 60.0,
                             destination: str | None = None,
                             variables: Mapping[str, str] | None = None) -> CitizenCall:
    """Call the helpline as `caller`, run the steps on the citizen's leg, return once both legs hung up."""
    if destination is None:
        destination = f"Local/{await helpline_number(ami)}@{INBOUND_CONTEXT}"
    base = f"sim-{uuid.uuid4().hex[:16]}"
    # Neither id may be a prefix of the other: Asterisk looks channels up by partial key.
    call = CitizenCall(caller=caller, citizen_uniqueid=f"{base}-cit", ivr_uniqueid=f"{base}-ivr")
    ids = {call.citizen_uniqueid, call.ivr_uniqueid}
    extra = [f"{k}={v}" for k, v in (variables or {}).items()]
    with ami.events() as stream:
        await ami.action({
            "Action": "Originate", "Channel": destination, "Context": SIM_CONTEXT, "Exten": "s",
            "Priority": "1", "CallerID": f'"{caller}" <{caller}>', "Async": "true",
            "ChannelId": call.citizen_uniqueid, "OtherChannelId": call.ivr_uniqueid,
            "Timeout": str(int(timeout * 1000)), "Variable": [f"HELPLINE_SIM={steps}", *extra],
        })
        hung_up: set[str] = set()
        try:
            async with asyncio.timeout(timeout):
                await _follow(stream, call, ids, hung_up)
        except TimeoutError:
            call.timed_out = True
            await _hang_up(ami, call)
            try:
                async with asyncio.timeout(10):
                    await _follow(stream, call, ids, hung_up)
            except TimeoutError:
                log.warning("call %s: no hang-up seen after the timeout", base)
    return call


async def _follow(stream, call: CitizenCall, ids: set[str], hung_up: set[str]) -> None:
    async for event in stream:
        if event.get("Uniqueid") in ids or event.get("Linkedid") in ids:
            call.events.append(event)
        elif event.name == "OriginateResponse" and event.get("Uniqueid") in ids:
            call.events.append(event)
        if event.name == "OriginateResponse" and event.get("Uniqueid") in ids:
            call.answered = event.get("Response") == "Success"
            if not call.answered:
                return
        if event.name == "Hangup" and event.get("Uniqueid") in ids:
            hung_up.add(event["Uniqueid"])
            if hung_up == ids:
                return


async def _hang_up(ami: AmiClient, call: CitizenCall) -> None:
    for event in call.named("Newchannel"):
        try:
            await ami.action({"Action": "Hangup", "Channel": event["Channel"]}, timeout=5)
        except (AmiError, TimeoutError, KeyError):
            pass
