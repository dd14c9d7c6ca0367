"""One call each for the IVR: transcribe a finished recording, or follow one while it is recorded.

    done = follow_call_recording(our_path, database=db, call_uniqueid=uniqueid)  # before RECORD FILE
    ... await channel.record_file(...) ...
    done.set()                                                                  # after it returns
or, after the recording: transcribe_call_recording(our_path, database=db, call_uniqueid=uniqueid).
Both store the transcript on the call's draft complaint and the call; both return None (and
the IVR carries on keypad-only) when no model is available.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from pathlib import Path

from ivr.speech.errors import SpeechUnavailable
from ivr.speech.follower import follow_in_thread
from ivr.speech.store import storing_to
from ivr.speech.transcriber import Transcriber
from ivr.speech.transcript import Transcript
from models.core.db import Database

log = logging.getLogger(__name__)

_lock = threading.Lock()
_transcriber: Transcriber | None = None


def shared_transcriber() -> Transcriber | None:
    """The process's transcriber (threads, one per core), or None without a model."""
    global _transcriber
    with _lock:
        if _transcriber is None:
            try:
                _transcriber = Transcriber()
            except SpeechUnavailable:
                return None
        return _transcriber


def transcribe_call_recording(path: Path, *, database: Database, call_uniqueid: str,
                              complaint_public_id: str | None = None) -> Future[Transcript] | None:
    """Queue a finished recording; the transcript lands on the complaint and the call in `database`."""
    transcriber = shared_transcriber()
    if transcriber is None:
        return None
    return transcriber.submit(path, on_done=storing_to(
        database=database, complaint_public_id=complaint_public_id, call_uniqueid=call_uniqueid))


def follow_call_recording(path: Path, *, database: Database, call_uniqueid: str,
                          complaint_public_id: str | None = None) -> threading.Event | None:
    """Start recognising a recording as it is written; set the returned event when it ends."""
    if shared_transcriber() is None:
        return None
    done = threading.Event()
    follow_in_thread(path, done_event=done, on_done=storing_to(
        database=database, complaint_public_id=complaint_public_id, call_uniqueid=call_uniqueid))
    return done
