"""Many calls' records at once: the IVR's journal stores what hundreds of calls did in a few
Core statements per batch (no ORM objects: at 500 calls the ORM's unit of work was most of the
IVR's CPU)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from models.calls.call import Call, CallStep
from models.calls.service import STEP_KINDS

CALLS, STEPS = Call.__table__, CallStep.__table__


@dataclass(frozen=True)
class CallStart:
    uniqueid: str
    caller_number: str
    channel: str | None
    language: str
    at: datetime


@dataclass(frozen=True)
class StepRow:
    call_id: int
    kind: str
    name: str
    value: str | None
    at: datetime


def call_ids(*, session: Session, uniqueids: Collection[str]) -> dict[str, int]:
    """The stored calls among `uniqueids`: uniqueid -> calls.id."""
    if not uniqueids:
        return {}
    rows = session.execute(select(CALLS.c.uniqueid, CALLS.c.id).where(CALLS.c.uniqueid.in_(list(uniqueids))))
    return {uniqueid: call_id for uniqueid, call_id in rows}


def start_calls(*, session: Session, starts: Iterable[CallStart]) -> dict[str, int]:
    """The records of calls not stored yet (one INSERT); every call's id, new or existing.
    What the network sent is cut to the columns' sizes, never refused."""
    wanted = {s.uniqueid: s for s in starts}
    ids = call_ids(session=session, uniqueids=wanted)
    rows = [{"uniqueid": s.uniqueid, "caller_number": _fit(s.caller_number or "", CALLS.c.caller_number),
             "channel": _fit(s.channel, CALLS.c.channel), "language": s.language or "hi",
             "started_at": s.at} for u, s in wanted.items() if u not in ids]
    if rows:
        session.execute(insert(CALLS), rows)
        ids.update(call_ids(session=session, uniqueids=[r["uniqueid"] for r in rows]))
    return ids


def add_steps(*, session: Session, steps: list[StepRow]) -> None:
    """Steps of any calls, in order, in one INSERT."""
    for step in steps:
        if step.kind not in STEP_KINDS:
            raise ValueError(f"unknown call step kind {step.kind!r}")
    if steps:
        session.execute(insert(STEPS), [
            {"call_id": s.call_id, "kind": s.kind, "name": _fit(s.name, STEPS.c.name), "value": s.value,
             "at": s.at} for s in steps])


def set_callers(*, session: Session, numbers: dict[int, str]) -> None:
    """Callers' numbers keyed in because the network gave none: calls.id -> number."""
    if numbers:
        session.execute(update(CALLS).where(CALLS.c.id == bindparam("call_id"))
                        .values(caller_number=bindparam("number")),
                        [{"call_id": i, "number": _fit(n, CALLS.c.caller_number)}
                         for i, n in numbers.items()])


def finish_calls(*, session: Session, ends: list[tuple[int, str | None, datetime]]) -> None:
    """(calls.id, disposition, at): the IVR part ended; the first end stays, a disposition given
    replaces the one before."""
    if ends:
        session.execute(update(CALLS).where(CALLS.c.id == bindparam("call_id")).values(
            ended_at=func.coalesce(CALLS.c.ended_at, bindparam("at")),
            disposition=func.coalesce(bindparam("disposition"), CALLS.c.disposition)),
            [{"call_id": i, "disposition": d, "at": at} for i, d, at in ends])


def attach_draft(*, session: Session, call_id: int, complaint_id: int, language: str,
                 recording_path: str | None) -> None:
    """The draft complaint the call filed, the language chosen and where the recording is."""
    session.execute(update(CALLS).where(CALLS.c.id == call_id).values(
        complaint_id=complaint_id, language=language,
        recording_path=func.coalesce(recording_path or None, CALLS.c.recording_path)))


def _fit(text: str | None, column) -> str | None:
    return text[:column.type.length] if text else text
