"""Put a transcript on the draft complaint and the call record (the Transcriber's on_done)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ivr.speech.transcript import Transcript

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def store_transcript(*, transcript: Transcript, complaint_public_id: str | None = None,
                     call_uniqueid: str | None = None, session: Session | None = None) -> None:
    """Write text and confidence onto the complaint and the call, with a "speech" journey step."""
    from models.calls import service as calls
    from models.complaints import service as complaints
    from models.core.db import unit_of_work

    with unit_of_work(session) as uow:
        call = calls.get_by_uniqueid(session=uow.session, uniqueid=call_uniqueid) if call_uniqueid else None
        complaint = None
        if complaint_public_id:
            complaint = complaints.get_by_public_id(session=uow.session, public_id=complaint_public_id)
        elif call is not None:
            complaint = call.complaint  # the draft this call opened
        if complaint is not None:
            complaints.set_transcript(session=uow.session, complaint=complaint,
                                      text=transcript.text, confidence=transcript.confidence)
        else:
            log.warning("no complaint for the transcript (complaint %s, call %s)",
                        complaint_public_id, call_uniqueid)
        if call is not None:
            call.transcript = transcript.text
            call.transcript_confidence = transcript.confidence
            calls.record_step(session=uow.session, call=call, kind="speech", name="transcript",
                              value=f"{transcript.confidence or 0:.2f} {transcript.text}"[:500])
        uow.commit()


def storing_to(*, complaint_public_id: str | None = None,
               call_uniqueid: str | None = None) -> Callable[[Path, Transcript], None]:
    """An on_done callback for Transcriber.submit that stores into this complaint and call."""

    def on_done(path: Path, transcript: Transcript) -> None:
        log.info("transcribed %s (%.1f s audio, confidence %s)", path, transcript.audio_seconds,
                 transcript.confidence)
        store_transcript(transcript=transcript, complaint_public_id=complaint_public_id,
                         call_uniqueid=call_uniqueid)

    return on_done
