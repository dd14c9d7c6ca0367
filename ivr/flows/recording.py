"""The caller's description (and a district's name, ivr/flows/district.py), recorded from the first
word however long the caller takes to begin.

RECORD FILE counts its silence limit from the moment it starts, so a caller who gathers their
thoughts for a few seconds after the beep was cut off before saying a word. The recording now
starts in one-second pieces appended to one file, with no silence limit, until a piece holds
speech (or `wait_s` have passed in silence); one RECORD FILE then appends the rest with the
usual silence limit. A key ends it at any point, as before.
"""

from __future__ import annotations

import asyncio
import logging
import wave
from pathlib import Path

import numpy as np

from ivr.agi.commands import ALL_KEYS, Recording
from ivr.flows.call import IvrCall

log = logging.getLogger(__name__)

PIECE_MS = 1000
SPEECH_LEVEL = 256  # mean absolute amplitude above which Asterisk's silence detector hears voice


def has_speech(path: Path, *, from_sample: int = 0) -> bool:
    """Whether the 16-bit mono WAV at `path` holds speech after `from_sample`."""
    try:
        with wave.open(str(path)) as w:
            w.setpos(min(from_sample, w.getnframes()))
            data = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error):
        return False
    samples = np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16).astype(np.int32)
    return samples.size > 0 and float(np.abs(samples).mean()) > SPEECH_LEVEL


async def record_description(call: IvrCall, asterisk_path: str, our_path: Path) -> Recording:
    """Record after the beep: wait up to the services' `record_wait_s` for the first word."""
    services = call.services
    return await record_from_first_word(call, asterisk_path, our_path, wait_s=services.record_wait_s,
                                        silence_s=services.record_silence_s, max_ms=services.record_max_ms)


async def record_from_first_word(call: IvrCall, asterisk_path: str, our_path: Path, *, wait_s: int,
                                 silence_s: int, max_ms: int) -> Recording:
    """After a beep, one-second pieces with no silence limit until one holds speech (at most
    `wait_s`), then the rest with the `silence_s` limit, all into one file."""
    waited_ms = endpos = 0
    while waited_ms < wait_s * 1000:
        piece = await call.channel.record_file(asterisk_path, escape_digits=ALL_KEYS, max_ms=PIECE_MS,
                                               silence_s=None, beep=waited_ms == 0, offset=endpos)
        waited_ms += PIECE_MS
        start, endpos = endpos, max(piece.endpos, endpos)
        if piece.reason == "dtmf":  # a key ends the recording (Asterisk says result=1 on a bare timeout)
            return piece
        if await asyncio.to_thread(has_speech, our_path, from_sample=start):
            call.step("event", "speech_started", f"{waited_ms - PIECE_MS} ms")
            break
    else:
        call.step("event", "no_speech", f"{waited_ms} ms")
    return await call.channel.record_file(
        asterisk_path, escape_digits=ALL_KEYS, max_ms=max(max_ms - waited_ms, PIECE_MS),
        silence_s=silence_s, beep=False, offset=endpos)
