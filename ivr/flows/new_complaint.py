"""Main menu 1: district, the description recorded, a draft complaint, then the agents' queue."""

from __future__ import annotations

import asyncio
import functools
import logging

from ivr.agi import AgiHangup
from ivr.flows import queries
from ivr.flows.call import IvrCall
from ivr.flows.district import ask_district
from ivr.flows.recording import record_description

log = logging.getLogger(__name__)


async def new_complaint(call: IvrCall) -> None:
    district = await ask_district(call)
    if district is None:
        await call.to_agents("no_district")
        return
    await call.say("district_chosen", f"district_{district.code}")
    await call.say("record_after_beep")
    asterisk_path, our_path = call.services.recording_paths(call.uniqueid)
    # The draft is written while the caller speaks, so the database never delays the call.
    draft = asyncio.create_task(_draft(call, district.code, str(our_path)))
    transcribing = await call.services.follow_recording(our_path, call.uniqueid)
    try:
        outcome = await record_description(call, asterisk_path, our_path)  # any key ends it
    except AgiHangup:
        call.step("recording", "description", str(our_path))
        await draft  # the caller's words are not lost
        raise
    except BaseException:
        draft.cancel()
        raise
    finally:
        if transcribing is not None:
            transcribing.set()  # the recording is complete: the transcript lands on the draft
    call.step("recording", "description", str(our_path))
    call.step("event", "recording_end", f"{outcome.reason} endpos={outcome.endpos}")
    public_id = await draft
    await call.channel.set_variable("__HELPLINE_DRAFT", public_id)
    await call.say("recording_saved")
    await call.set_next("queue")


async def _draft(call: IvrCall, district_code: str, recording: str) -> str:
    """The draft complaint linked to this call (whose record it opens if not yet stored)."""
    public_id = await call.services.db.run(functools.partial(
        queries.create_draft, uniqueid=call.uniqueid, mobile=call.mobile or "",
        channel=call.channel.headers.get("agi_channel"), district_code=district_code,
        recording_path=recording, language=call.language))
    call.step("event", "draft", public_id)
    return public_id
