"""Main menu 2: the status of a complaint, by its ID (check digit first) or from the caller's own."""

from __future__ import annotations

import functools
import logging

from ivr.flows import queries
from ivr.flows.call import TRIES, IvrCall
from ivr.flows.readout import date_keys, digit_keys, number_keys
from models.complaints import complaint_id

log = logging.getLogger(__name__)

ID_TIMEOUT_MS = 8000
MAX_OFFERED = 9


async def complaint_status(call: IvrCall) -> None:
    own = await call.services.db.run(functools.partial(
        queries.open_complaint_ids, mobile=call.mobile)) if call.mobile else []
    public_id = await pick_own(call, own) if own else None
    failures = 0
    while failures < TRIES:
        if public_id is None:
            keyed = await call.ask("status_enter_id", max_digits=10, timeout_ms=ID_TIMEOUT_MS)
            if not complaint_id.is_valid(keyed):  # no database look-up for a mistyped ID
                call.step("event", "invalid_id", keyed)
                failures += 1
                if failures < TRIES:
                    await call.say("wrong_id" if keyed else "no_input")
                continue
            public_id = complaint_id.parse(keyed)
        info = await call.services.db.run(functools.partial(queries.status_of, public_id=public_id))
        call.step("lookup", "complaint", f"{public_id} {'found' if info else 'not found'}")
        if info is None:
            failures += 1
            public_id = None
            if failures < TRIES:
                await call.say("id_not_found")
            continue
        choice = await read_status(call, info)
        if choice == "1":
            continue
        if choice == "2":
            public_id, failures = None, 0
            continue
        if choice == "0":
            await call.to_agents("after_status")
        else:
            await call.goodbye()
        return
    await call.to_agents("status_id_not_keyed")


async def pick_own(call: IvrCall, own: list[str]) -> str | None:
    """'You have N open complaints': pick one by its option number, or 0 to key another ID."""
    offered = own[:MAX_OFFERED]
    key = await call.say("status_you_have", *number_keys(len(own)), "status_open_complaints",
                         barge_in=True)
    for n, public_id in enumerate(offered, start=1):
        key = key or await call.say("option", f"num_{n}", "complaint_ending_in",
                                    *digit_keys(public_id[-4:]), barge_in=True)
    if not key:
        key = await call.ask("status_pick")
    call.step("input", "status_pick", key or "")
    if key and key.isdigit() and 1 <= int(key) <= len(offered):
        return offered[int(key) - 1]
    return None


async def read_status(call: IvrCall, info: queries.ComplaintStatusInfo) -> str:
    """Status, level, officer and last action; then 1 again, 2 another, 0 agent."""
    keys = ["status_of_complaint", *digit_keys(info.public_id), "status_is", f"status_{info.status}"]
    if info.level:
        keys += ["level_is", f"level_{info.level}"]
    designation = info.designation_hi if call.language == "hi" else info.designation_en
    if designation:
        spoken = await call.services.text_prompt(call.language, designation)
        if spoken:
            keys += ["officer_is", spoken]
    if info.last_action_at:
        keys += ["last_action_on", *date_keys(info.last_action_at)]
    key = await call.say(*keys, barge_in=True)
    if key in ("1", "2", "0"):
        return key
    return await call.ask("status_menu")
