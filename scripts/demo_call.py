"""`helpline call`: a demo call into the local Asterisk as a citizen, then its journey."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
from pathlib import Path

from ivr.ami.client import AmiClient
from ivr.prompts.render import require_tools, synthesise
from models.calls.caller import caller_number
from models.calls.service import calls_of_caller, get_by_uniqueid, journey
from models.core.db import unit_of_work
from models.core.settings import Settings, get_settings
from scripts.demo_citizen import CitizenCall, place_citizen_call, sim_steps
from scripts.sip_citizen import place_sip_call

log = logging.getLogger(__name__)

__all__ = ["cli", "place_citizen_call", "sim_steps", "speech_file"]


def speech_file(text: str, *, voice: str, folder: Path) -> Path:
    """TEXT spoken by espeak-ng, as 8 kHz mono 16-bit WAV for Asterisk (cached by content)."""
    require_tools()
    name = hashlib.sha256(f"{voice}\0{text}".encode()).hexdigest()[:16]
    target = folder / f"say-{voice}-{name}.wav"
    if not target.exists():
        synthesise(text, voice, target)  # the prompts' own renderer: one voice setting for both
    return target


DEMO_QUEUE_TIMEOUT_S = 20  # a demo caller waits this long for an agent (unless the IVR says otherwise)


async def _call(settings: Settings, *, caller: str, steps: str, timeout: float) -> CitizenCall:
    async with AmiClient.from_settings(settings) as ami:
        return await place_citizen_call(ami, caller=caller, steps=steps, timeout=timeout,
                                        variables={"HELPLINE_QUEUE_TIMEOUT": str(DEMO_QUEUE_TIMEOUT_S)})


def _journey(*, uniqueid: str | None = None, caller: str) -> dict | None:
    """The call record the IVR wrote: by uniqueid, else the caller's latest (filed as 10 digits)."""
    with unit_of_work() as uow:
        record = get_by_uniqueid(session=uow.session, uniqueid=uniqueid) if uniqueid else None
        number = caller_number(caller)
        if record is None and number:
            latest = calls_of_caller(session=uow.session, caller_number=number, limit=1)
            record = latest[0] if latest else None
        return journey(record) if record else None


def _print_events(call: CitizenCall) -> None:
    for event in call.events:
        detail = {k: event[k] for k in ("Channel", "Exten", "Application", "AppData", "Digit",
                                        "Direction", "Queue", "Cause-txt") if event.get(k)}
        print(f"  {event.get('Timestamp', '')} {event.name} {detail}")


def _sip_call(args: argparse.Namespace, steps: str) -> int:
    """The same steps from a real SIP phone on the trunk (SIPp), then the call record it left."""
    sip_steps = [step + ".wav" if step.startswith("p") else step for step in steps.split("^")]
    sip_steps += [f"w{args.timeout:g}", "h"]  # listen, then hang up (unless the helpline does first)
    who = "a withheld number" if args.withheld else args.caller
    print(f"calling the helpline over the SIP trunk from {who}: {' '.join(sip_steps)}")
    call = place_sip_call(caller=args.caller, steps=sip_steps, withheld=args.withheld,
                          timeout=args.timeout + 60)
    print("the SIP call ended" if call.ok else "the SIP call ended early (SIPp's report at debug level)")
    log.debug("SIPp: %s", call.output)
    if args.withheld:
        return 0 if call.ok else 1
    record = _journey(caller=args.caller)
    if record:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0 if record else 1


def cli(args: argparse.Namespace) -> int:
    settings = get_settings()
    speech = None
    if args.say:
        speech = speech_file(args.say, voice=args.voice, folder=settings.var_dir / "demo-audio")
    steps = sim_steps(keys=args.keys, speech=speech)
    if getattr(args, "sip", False):
        return _sip_call(args, steps)
    print(f"calling the helpline as {args.caller}: {steps}")
    call = asyncio.run(_call(settings, caller=args.caller, steps=steps, timeout=args.timeout))
    state = (f"hung up by the demo after {args.timeout:g} s" if call.timed_out
             else f"ended ({call.hangup_cause or 'no answer'})")
    print(f"call {call.ivr_uniqueid} {state}; keys received: {call.dtmf_received or '-'}")
    try:
        journey = _journey(uniqueid=call.ivr_uniqueid, caller=call.caller)
    except Exception as exc:  # no database yet: the AMI view is still worth showing
        log.debug("no journey", exc_info=True)
        print(f"(no call record: {exc})")
        journey = None
    if journey:
        print(json.dumps(journey, ensure_ascii=False, indent=2))
    else:
        print("AMI events of the call:")
        _print_events(call)
    return 0 if call.answered else 1
