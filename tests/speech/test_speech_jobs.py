"""One call to wire: a recording followed as it is written ends up as the draft's transcript."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from ivr.speech import follow_call_recording, transcribe_call_recording
from models.calls import service as calls
from models.complaints import service as complaints
from models.core.db import Database
from models.core.migrate import upgrade
from models.seed.reference import seed_reference
from tests.speech.test_speech_follower import write_like_asterisk


@pytest.fixture
def own_database(tmp_path) -> Iterator[Database]:
    """A migrated SQLite database of this test's own, committed to by worker threads."""
    url = f"sqlite:///{tmp_path / 'speech.db'}"
    upgrade(url)
    database = Database(url)
    with database.unit_of_work() as uow:
        seed_reference(session=uow.session)
        uow.commit()
    yield database
    database.dispose()


def open_draft(database: Database, uniqueid: str) -> str:
    with database.unit_of_work() as uow:
        call = calls.start_call(session=uow.session, uniqueid=uniqueid, caller_number="9876543210")
        draft = complaints.create_draft(session=uow.session, call=call, mobile="9876543210",
                                        district_code="RPR")
        uow.commit()
        return draft.public_id


def transcript_of(database: Database, public_id: str, *,
                  within: float) -> tuple[str | None, float | None]:
    deadline = time.monotonic() + within
    while True:
        with database.unit_of_work() as uow:
            draft = complaints.get_by_public_id(session=uow.session, public_id=public_id)
            if draft.transcript or time.monotonic() > deadline:
                return draft.transcript, draft.transcript_confidence
        time.sleep(0.1)


def test_followed_recording_lands_on_the_draft(model, own_database, complaint_wav, tmp_path):
    public_id = open_draft(own_database, "1700000001.1")
    target = tmp_path / "1700000001.1.wav"
    done = follow_call_recording(target, database=own_database, call_uniqueid="1700000001.1")
    assert isinstance(done, threading.Event)
    write_like_asterisk(complaint_wav, target, done, speed=4.0)
    text, confidence = transcript_of(own_database, public_id, within=20)
    assert text and 0 < confidence <= 1


def test_finished_recording_is_transcribed_onto_the_draft(model, own_database, complaint_wav):
    public_id = open_draft(own_database, "1700000001.2")
    future = transcribe_call_recording(complaint_wav, database=own_database,
                                       call_uniqueid="1700000001.2")
    assert future is not None and future.result(60).text
    text, _ = transcript_of(own_database, public_id, within=5)
    assert text == future.result().text
