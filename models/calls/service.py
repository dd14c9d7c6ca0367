"""Call services: the IVR writes the journey of each call here, step by step."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.calls.call import Call, CallStep
from models.complaints import service as complaints
from models.complaints.complaint import Complaint
from models.core.base import utcnow

STEP_KINDS = frozenset({"prompt", "input", "speech", "recording", "queue", "lookup", "error", "event"})


def start_call(*, session: Session, uniqueid: str, caller_number: str, channel: str | None = None,
               language: str = "hi") -> Call:
    """The record of a call that has just reached the IVR (returns the existing one on a retry)."""
    existing = get_by_uniqueid(session=session, uniqueid=uniqueid)
    if existing is not None:
        return existing
    # What the network sent is kept as far as the columns hold it (a hostile caller ID is not
    # a reason to lose the call's record).
    call = Call(uniqueid=uniqueid, caller_number=(caller_number or "")[:_length(Call.caller_number)],
                channel=channel[:_length(Call.channel)] if channel else channel,
                language=language, started_at=utcnow())
    session.add(call)
    session.flush()
    return call


def _length(column) -> int:
    return column.property.columns[0].type.length


def record_step(*, session: Session, call: Call, kind: str, name: str,
                value: str | None = None) -> CallStep:
    """Append one step to the call's journey."""
    if kind not in STEP_KINDS:
        raise ValueError(f"unknown call step kind {kind!r}")
    step = CallStep(call_id=call.id, kind=kind, name=name, value=value, at=utcnow())
    session.add(step)
    session.flush()
    return step


def update_call(*, session: Session, call: Call, language: str | None = None,
                recording_path: str | None = None, caller_number: str | None = None) -> None:
    """What the IVR learnt about the call: the language chosen, where the recording is, the
    caller's number keyed in when the network did not give it."""
    if caller_number:
        call.caller_number = caller_number
    if language:
        call.language = language
    if recording_path:
        call.recording_path = recording_path
    session.flush()


def finish_call(*, session: Session, call: Call, disposition: str | None = None) -> None:
    """Mark the IVR part of the call as ended (also on hang-up)."""
    call.ended_at = call.ended_at or utcnow()
    if disposition:
        call.disposition = disposition
    session.flush()


def attach_transcript(*, session: Session, call_uniqueid: str | None,
                      complaint_public_id: str | None, text: str,
                      confidence: float | None) -> Complaint | None:
    """The speech-to-text of a caller's recording onto the complaint (given, else the draft the call
    opened) and onto the call with a "speech" step; returns the complaint, None when there is none."""
    call = get_by_uniqueid(session=session, uniqueid=call_uniqueid) if call_uniqueid else None
    if complaint_public_id:
        complaint = complaints.get_by_public_id(session=session, public_id=complaint_public_id)
    else:
        complaint = call.complaint if call is not None else None
    if complaint is not None:
        complaints.set_transcript(session=session, complaint=complaint, text=text, confidence=confidence)
    if call is not None:
        call.transcript = text
        call.transcript_confidence = confidence
        record_step(session=session, call=call, kind="speech", name="transcript",
                    value=f"{confidence or 0:.2f} {text}"[:500])
    return complaint


def get_by_uniqueid(*, session: Session, uniqueid: str) -> Call | None:
    return session.scalars(select(Call).where(Call.uniqueid == uniqueid)).first()


def calls_of_caller(*, session: Session, caller_number: str, limit: int = 50) -> list[Call]:
    """The caller's calls, newest first."""
    return list(session.scalars(select(Call).where(Call.caller_number == caller_number)
                                .order_by(Call.started_at.desc(), Call.id.desc()).limit(limit)))


def journey(call: Call) -> dict:
    """The call and its steps, ready for JSON."""
    return {
        "uniqueid": call.uniqueid,
        "caller": call.caller_number,
        "language": call.language,
        "started_at": call.started_at.isoformat(),
        "ended_at": call.ended_at.isoformat() if call.ended_at else None,
        "recording": call.recording_path,
        "transcript": call.transcript,
        "queue_outcome": call.queue_outcome,
        "agent": call.agent,
        "disposition": call.disposition,
        "complaint_id": call.complaint.public_id if call.complaint else None,
        "steps": [{"at": s.at.isoformat(), "kind": s.kind, "name": s.name, "value": s.value}
                  for s in call.steps],
    }
