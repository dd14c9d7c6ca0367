"""A caller who says nothing for a few seconds after the beep, then describes the complaint, is
recorded whole: the silence limit counts only from the first word (ivr/flows/recording.py).
(issue 16: calls)"""

from __future__ import annotations

import math
import subprocess
import wave
from pathlib import Path

import numpy as np
from sqlalchemy import select

from ivr.flows.recording import SPEECH_LEVEL
from models.complaints.complaint import Complaint
from models.core.db import new_session
from tests.e2e.conftest import wait_for
from tests.e2e.test_ivr_calls import RAIPUR, journey_of, steps

PAUSE_S = 5  # longer than the silence limit (services.record_silence_s, 4 s)
AFTER_DISTRICT = ("district_chosen", "district_RPR", "record_after_beep")  # then the beep


def seconds_of(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def voiced_seconds(path: Path) -> list[float]:
    """The start of each tenth of a second of the recording that holds speech."""
    with wave.open(str(path)) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.int32)
    tenth = 800
    return [i / 10 for i in range(len(samples) // tenth)
            if np.abs(samples[i * tenth:(i + 1) * tenth]).mean() > SPEECH_LEVEL]


def test_a_caller_who_waits_before_speaking_is_recorded_whole(dial, speech_audio, prompts_built):
    # The citizen keys the district, lets the prompts up to the beep play out, says nothing for
    # PAUSE_S seconds, then speaks.
    prompts = math.ceil(sum(seconds_of(prompts_built / "hi" / f"{name}.wav") for name in AFTER_DISTRICT))
    paused = speech_audio.parent / f"{speech_audio.name}-after-{PAUSE_S}s"
    if not paused.with_suffix(".wav").exists():
        subprocess.run(["sox", f"{speech_audio}.wav", f"{paused}.wav", "pad", str(PAUSE_S), "0"], check=True)
    call = dial("9826000105", f"w2^d1^w2^d1^w3^d{RAIPUR}#^w{prompts + 1}^p{paused}^w6^h")
    journey = wait_for(lambda: journey_of(call.ivr_uniqueid))
    assert journey and journey["complaint_id"], "the call left its record and a draft"
    events = {name: value for _, name, value in steps(journey, "event")}
    assert "no_speech" not in events and "speech_started" in events, events
    with new_session() as session:
        draft = session.scalars(select(Complaint).where(Complaint.public_id == journey["complaint_id"])).one()
        recording = Path(draft.recording_path)
    voiced = voiced_seconds(recording)
    spoken = len(voiced) / 10
    speech_s = seconds_of(speech_audio.with_suffix(".wav"))
    assert voiced and voiced[0] >= 4.0, f"the caller's pause is in the recording: {voiced[:3]}, {events}"
    assert spoken >= 0.5 * speech_s, f"{spoken:.1f} s of speech recorded of {speech_s:.1f} s spoken"
