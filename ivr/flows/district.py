"""The caller's district: its number on the list (1–33), '#' ends early, '*' hears the list."""

from __future__ import annotations

import logging
from itertools import groupby

from ivr.flows.call import TRIES, IvrCall
from ivr.flows.queries import DistrictEntry
from ivr.flows.recording import record_from_first_word

log = logging.getLogger(__name__)

FIRST_KEY_MS = 6000
NEXT_KEY_MS = 3000
LISTEN_WAIT_S = 6  # for the first word of a district's name, after the beep
MAX_LIST_READS = 3


async def ask_district(call: IvrCall) -> DistrictEntry | None:
    """The chosen district, or None after three missing or wrong entries."""
    districts = await call.services.districts()
    by_key = {str(d.keypad): d for d in districts}
    failures = list_reads = 0
    listened = False
    while failures < TRIES:
        keys = await _key_in(call, await call.say("district_prompt", barge_in=True))
        while keys == "*" and list_reads < MAX_LIST_READS:
            list_reads += 1
            keys = await _key_in(call, await read_list(call, districts))
        call.step("input", "district", keys)
        if keys in by_key:
            return by_key[keys]
        if not keys and call.services.listener is not None and not listened:
            listened = True
            spoken = await _listen(call, districts)
            if spoken is not None:
                return spoken
        failures += 1
        if failures < TRIES:
            await call.say("district_invalid" if keys else "no_input")
    call.step("event", "too_many_tries", "district")
    return None


async def read_list(call: IvrCall, districts: list[DistrictEntry]) -> str | None:
    """'<number> <name>' for every district, grouped by division; a key stops it."""
    key = await call.say("district_list_intro", barge_in=True)
    ordered = sorted(districts, key=lambda d: (d.division, d.keypad))
    for division, members in groupby(ordered, key=lambda d: d.division):
        key = key or await call.say(f"division_{division}", barge_in=True)
        for d in members:
            key = key or await call.say(f"num_{d.keypad}", f"district_{d.code}", barge_in=True)
    return key or await call.channel.wait_for_digit(FIRST_KEY_MS) or ""


async def _key_in(call: IvrCall, first: str | None) -> str:
    """Up to two keys starting with `first`; '#' or a pause ends; '*' alone asks for the list."""
    if first is None:
        first = await call.channel.wait_for_digit(FIRST_KEY_MS)
    if first in (None, "", "#"):
        return ""
    if first == "*":
        return "*"
    keys = first
    while len(keys) < 2:
        more = await call.channel.wait_for_digit(NEXT_KEY_MS)
        if not more or more == "#":
            break
        if more == "*":
            return "*"
        keys += more
    return keys.lstrip("0") or "0"


async def _listen(call: IvrCall, districts: list[DistrictEntry]) -> DistrictEntry | None:
    """Speech seam: record the district name and ask the listener (ivr/speech) what it was."""
    asterisk_path, our_path = call.services.recording_paths(f"{call.uniqueid}-district")
    await call.say("district_say")
    # A caller who takes a moment before naming the district is heard from the first word.
    await record_from_first_word(call, asterisk_path, our_path, wait_s=LISTEN_WAIT_S, silence_s=2, max_ms=5000)
    choices = [(d.code, d.name_hi, d.name_en) for d in districts]
    code = await call.services.listener.recognise_district(  # type: ignore[union-attr]
        our_path, language=call.language, districts=choices)
    call.step("speech", "district", code or "")
    return next((d for d in districts if d.code == code), None)
