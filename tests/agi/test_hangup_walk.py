"""A caller may hang up at any moment. For every flow, the walk hangs up at step k for every k:
each call leaves its call record (with its end), whatever draft and recording it had made, and
the same server then serves a whole call. (issue 16: calls)"""

from __future__ import annotations

import asyncio
import itertools

from agi_support import helpline_ivr, journey_of, run
from factories import feedback_try, make_complaint, next_mobile

from ivr.agi.simulator import SimulatedCall
from models.complaints import service as complaints
from models.complaints.lifecycle import resolve
from models.core.db import unit_of_work

_ids = itertools.count(1)


def simulated(inputs, script="ivr", **kw) -> SimulatedCall:
    n = next(_ids)
    return SimulatedCall(uniqueid=f"1799{n:06d}.{n}", script=script, caller=next_mobile(), inputs=inputs, **kw)


def _seeded() -> tuple[str, str, int]:
    """A registered complaint (for the status menu), a draft (for the queue's time-out) and a
    resolved complaint's satisfaction-call try (for the feedback call)."""
    with unit_of_work() as uow:
        registered = make_complaint(uow.session)
        draft = complaints.create_draft(session=uow.session, mobile=next_mobile(), district_code="RPR")
        done = make_complaint(uow.session)
        resolve(session=uow.session, complaint=done, actor="user:officer", resolution="हैंडपंप ठीक कराया गया")
        attempt = feedback_try(uow.session, done)
        uow.commit()
        return registered.public_id, draft.public_id, attempt.id


def walks(public_id: str, draft_id: str, attempt_id: int) -> dict[str, tuple[list[str], str, dict]]:
    """Each flow's whole path as the caller's inputs: (inputs, route, channel variables)."""
    return {
        "new complaint": (["1", "1", "2", "7"], "ivr", {}),  # language, menu, district 27, then speech
        "status": (["1", "2", *public_id, "timeout"], "ivr", {}),
        "agent": (["2", "0"], "ivr", {}),
        "queue time-out": (["1"], "queue-timeout", {"HELPLINE_DRAFT": draft_id}),
        "feedback": (["2"], "feedback", {"HELPLINE_FEEDBACK_ATTEMPT": str(attempt_id)}),
    }


def test_hanging_up_at_every_step_of_every_flow(ivr_settings):
    public_id, draft_id, attempt_id = _seeded()
    calls: list[tuple[str, int, SimulatedCall]] = []
    for name, (path, script, variables) in walks(public_id, draft_id, attempt_id).items():
        for k in range(len(path) + 1):
            calls.append((name, k, simulated([*path[:k], "hangup"], script=script, variables=dict(variables))))

    async def scenario():
        async with helpline_ivr(ivr_settings) as (host, port):
            await asyncio.gather(*(c.run(host, port) for _, _, c in calls))
            after = simulated(["1", "1", "2", "7"])  # the same server, a whole new complaint
            await after.run(host, port)
            return after

    after = run(scenario())
    assert after.variables.get("HELPLINE_NEXT") == "queue" and after.variables.get("__HELPLINE_DRAFT")
    failures = []
    for name, k, call in calls:
        journey = journey_of(call.headers["agi_uniqueid"])
        if not journey["ended_at"]:
            failures.append(f"{name}, hang-up after {k} inputs: no end on the call record")
        if name == "new complaint" and k >= 4:  # hung up while speaking: the draft keeps the recording
            with unit_of_work() as uow:
                draft = complaints.get_by_public_id(session=uow.session, public_id=journey["complaint_id"])
                if draft is None or not draft.recording_path:
                    failures.append(f"{name}, hang-up after {k}: the draft or its recording is missing")
    assert not failures, failures
    assert len(calls) == sum(len(path) + 1 for path, _, _ in walks(public_id, draft_id, attempt_id).values())
