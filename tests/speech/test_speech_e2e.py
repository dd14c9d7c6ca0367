"""A real call into the local Asterisk: the caller speaks, Vosk transcribes what Asterisk recorded.

The transcription is started here with the one call the IVR makes once wired
(`transcribe_call_recording`, or `follow_call_recording` during RECORD FILE; docs/speech.md).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ivr.speech import transcribe_call_recording
from models.calls import service as calls
from models.complaints import service as complaints
from models.core.db import default_database, new_session
from tests.asterisk_fixtures import ami, asterisk_settings, loop, run  # noqa: F401  (fixtures)
from tests.e2e.conftest import (  # noqa: F401
    dial,
    e2e_database,
    e2e_engine,
    ivr_server,
    no_agents,
    prompts_built,
    wait_for,
)
from tests.speech.audio_maker import require_tools
from tests.speech.conftest import COMPLAINT_KO

RAIPUR = "27"


@pytest.fixture(scope="session")
def korean_complaint(asterisk_settings) -> Path:  # noqa: F811
    """The complaint in Korean (the test model's language) as 8 kHz audio for the caller leg."""
    require_tools()
    folder = asterisk_settings.var_dir / "test-audio"
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / "complaint-ko.wav"
    if not wav.exists():
        speech = subprocess.run(["espeak-ng", "-v", "ko+m1", "-s", "150", "--stdout", COMPLAINT_KO],
                                capture_output=True, check=True).stdout
        subprocess.run(["sox", "-t", "wav", "-", "-r", "8000", "-c", "1", "-b", "16", str(wav)],
                       input=speech, check=True)
    return wav.with_suffix("")


def finished_call(uniqueid: str) -> dict | None:
    with new_session() as session:
        call = calls.get_by_uniqueid(session=session, uniqueid=uniqueid)
        return calls.journey(call) if call and call.ended_at else None


def stored_transcripts(public_id: str, uniqueid: str) -> tuple[str | None, float | None, str | None]:
    """The draft's transcript and confidence, and the call's transcript."""
    with new_session() as session:
        draft = complaints.get_by_public_id(session=session, public_id=public_id)
        call = calls.get_by_uniqueid(session=session, uniqueid=uniqueid)
        return draft.transcript, draft.transcript_confidence, call.transcript


def test_spoken_complaint_reaches_the_draft_as_a_vosk_transcript(model, dial, korean_complaint):  # noqa: F811
    call = dial("9826000191", f"w2^d1^w2^d1^w3^d{RAIPUR}#^w5^p{korean_complaint}^w2^h")
    journey = wait_for(lambda: finished_call(call.ivr_uniqueid), timeout=30)
    assert journey and journey["complaint_id"], "the call opened a draft"
    public_id = journey["complaint_id"]
    with new_session() as session:
        recording = Path(complaints.get_by_public_id(session=session, public_id=public_id).recording_path)
    assert recording.exists(), f"Asterisk recorded the caller at {recording}"

    # The IVR followed the recording while Asterisk wrote it; its transcript lands after the call.
    assert wait_for(lambda: stored_transcripts(public_id, call.ivr_uniqueid)[0], timeout=30)
    followed, confidence, on_call = stored_transcripts(public_id, call.ivr_uniqueid)
    assert len(followed.split()) >= 3 and 0 < confidence <= 1 and on_call == followed

    # The finished recording transcribed again: stored by a callback run after the result is set.
    future = transcribe_call_recording(recording, database=default_database(),
                                       call_uniqueid=call.ivr_uniqueid)
    assert future is not None, "speech is available"
    transcript = future.result(120)
    assert transcript.audio_seconds > 3 and len(transcript.text.split()) >= 3, transcript
    assert wait_for(lambda: stored_transcripts(public_id, call.ivr_uniqueid)[0] == transcript.text,
                    timeout=10)
    text, confidence, on_call = stored_transcripts(public_id, call.ivr_uniqueid)
    assert on_call == text and 0 < confidence <= 1
