"""The transcript lands on the draft complaint and on the call's journey."""

from __future__ import annotations

from ivr.speech import Transcript, Word
from models.calls import service as calls
from models.complaints import service as complaints
from tests.factories import next_mobile


def test_transcript_is_stored_on_complaint_and_call(session):
    mobile = next_mobile()
    call = calls.start_call(session=session, uniqueid="1700000000.42", caller_number=mobile)
    draft = complaints.create_draft(session=session, call=call, mobile=mobile, district_code="RPR")
    transcript = Transcript(text="सड़क टूटी है", words=(Word("सड़क", 0.1, 0.5, 0.9),
                                                      Word("टूटी", 0.5, 0.9, 0.7),
                                                      Word("है", 0.9, 1.1, 0.8)))
    stored = calls.attach_transcript(session=session, call_uniqueid=call.uniqueid,
                                     complaint_public_id=draft.public_id, text=transcript.text,
                                     confidence=transcript.confidence)
    assert stored is draft and draft.transcript == "सड़क टूटी है"
    assert abs(draft.transcript_confidence - 0.8) < 1e-9
    assert call.transcript == draft.transcript
    steps = calls.journey(call)["steps"]
    assert any(s["kind"] == "speech" and "सड़क" in (s["value"] or "") for s in steps)
    assert draft.history[-1].action == "transcribed"


def test_the_call_alone_finds_its_draft(session):
    mobile = next_mobile()
    call = calls.start_call(session=session, uniqueid="1700000000.43", caller_number=mobile)
    draft = complaints.create_draft(session=session, call=call, mobile=mobile)
    calls.attach_transcript(session=session, call_uniqueid=call.uniqueid, complaint_public_id=None,
                            text="पानी नहीं आ रहा", confidence=0.6)
    assert draft.transcript == "पानी नहीं आ रहा" and draft.transcript_confidence == 0.6


def test_a_call_without_a_draft_keeps_the_transcript_on_the_call(session):
    call = calls.start_call(session=session, uniqueid="1700000000.44", caller_number=next_mobile())
    assert calls.attach_transcript(session=session, call_uniqueid=call.uniqueid,
                                   complaint_public_id=None, text="नमस्ते", confidence=0.9) is None
    assert call.transcript == "नमस्ते" and call.transcript_confidence == 0.9
