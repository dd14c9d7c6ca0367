"""Put a transcript on the draft complaint and the call (the Transcriber's on_done)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ivr.speech.transcript import Transcript
from models.calls import service as calls
from models.core.db import Database

log = logging.getLogger(__name__)


def store_transcript(*, database: Database, transcript: Transcript,
                     complaint_public_id: str | None = None, call_uniqueid: str | None = None) -> None:
    """Text and confidence onto the complaint and the call, in one unit of work on `database`."""
    with database.unit_of_work() as uow:
        complaint = calls.attach_transcript(
            session=uow.session, call_uniqueid=call_uniqueid, complaint_public_id=complaint_public_id,
            text=transcript.text, confidence=transcript.confidence)
        uow.commit()
    if complaint is None:
        log.warning("no complaint for the transcript (complaint %s, call %s)",
                    complaint_public_id, call_uniqueid)


def storing_to(*, database: Database, complaint_public_id: str | None = None,
               call_uniqueid: str | None = None) -> Callable[[Path, Transcript], None]:
    """An on_done callback for Transcriber.submit that stores into this complaint and call."""

    def on_done(path: Path, transcript: Transcript) -> None:
        log.info("transcribed %s (%.1f s audio, confidence %s)", path, transcript.audio_seconds,
                 transcript.confidence)
        store_transcript(database=database, transcript=transcript,
                         complaint_public_id=complaint_public_id, call_uniqueid=call_uniqueid)

    return on_done
