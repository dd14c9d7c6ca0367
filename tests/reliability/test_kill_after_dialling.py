"""A worker killed (SIGKILL) the moment Asterisk took its Originate — the call placed, nothing
recorded after it — does not place that call again when it restarts: the try was filed before the
dial (claim before originate), and a try Asterisk never reports on becomes `lost` (a try, counted)
after IN_FLIGHT_LIMIT, not a new call at once. For satisfaction calls and for call-backs, on SQLite
and PostgreSQL; the dying worker runs in a process of its own."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from models.calls import callbacks, feedback
from models.complaints.lifecycle import resolve
from models.core.db import Database
from models.reference.calendar import IST
from tests.factories import make_complaint
from tests.reliability.processes import die_while_dialling, seeded_database

pytestmark = pytest.mark.slow  # a worker process killed in each
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=IST)  # inside calling hours

def _restarted(job, database: Database, now: datetime) -> list[dict]:
    """The restarted worker's pass at `now`; what it dialled."""
    from models.core.settings import get_settings

    dialled: list[dict] = []
    extra = {"agents": lambda: 1} if job.__name__ == "place_callbacks" else {}
    job(database=database, now=now, settings=get_settings(), originate=dialled.append, **extra)
    return dialled


@pytest.fixture(scope="module")
def crash_url(backend, tmp_path_factory) -> str:
    """A database of these tests' own (one has only satisfaction calls, the other only call-backs)."""
    return seeded_database(backend, tmp_path_factory, "helpline_crash_dialling")


def _one_complaint(url: str, then) -> tuple[str, Database, str]:
    """A complaint with `then(session, complaint)` done to it; the URL, the database and its ID."""
    database = Database(url)
    with database.unit_of_work() as uow:
        complaint = make_complaint(uow.session)
        then(uow.session, complaint)
        uow.commit()
        return url, database, complaint.public_id


def _resolved(session, complaint) -> None:
    resolve(session=session, complaint=complaint, actor="user:officer", resolution="नामांतरण दर्ज किया गया")
    complaint.resolved_at = MONDAY_10 - timedelta(hours=1)


def _asks_for_a_call_back(session, complaint) -> None:
    callbacks.request(session=session, complaint=complaint, now=MONDAY_10 - timedelta(minutes=5))


def test_a_satisfaction_call_placed_before_a_kill_is_not_placed_again(crash_url, tmp_path):
    from ivr.outbound import place_feedback_calls

    url, database, public_id = _one_complaint(crash_url, _resolved)
    dialled = die_while_dialling("place_feedback_calls", url, MONDAY_10, tmp_path / "dialled.jsonl", public_id)
    assert len(dialled) == 1 and f"HELPLINE_COMPLAINT={public_id}" in dialled[0]["Variable"]
    assert _restarted(place_feedback_calls, database, MONDAY_10) == []
    later = MONDAY_10 + feedback.IN_FLIGHT_LIMIT + timedelta(minutes=1)
    assert _restarted(place_feedback_calls, database, later) == []  # lost: a try, not a new call
    with database.unit_of_work() as uow:
        tries = list(uow.session.scalars(select(feedback.FeedbackAttempt)))
        assert [(t.attempt, t.result) for t in tries] == [(1, feedback.FeedbackResult.LOST)]
    database.dispose()


def test_a_call_back_placed_before_a_kill_is_not_placed_again(crash_url, tmp_path):
    from ivr.outbound import place_callbacks

    url, database, public_id = _one_complaint(crash_url, _asks_for_a_call_back)
    dialled = die_while_dialling("place_callbacks", url, MONDAY_10, tmp_path / "dialled.jsonl", public_id)
    assert len(dialled) == 1 and f"__HELPLINE_DRAFT={public_id}" in dialled[0]["Variable"]
    assert _restarted(place_callbacks, database, MONDAY_10) == []
    later = MONDAY_10 + feedback.IN_FLIGHT_LIMIT + timedelta(minutes=1)
    assert _restarted(place_callbacks, database, later) == []  # lost: tried again a spacing later
    with database.unit_of_work() as uow:
        (entry,) = uow.session.scalars(select(callbacks.Callback))
        assert (entry.tries, entry.status, entry.last_result) == (1, callbacks.CallbackStatus.WAITING, "lost")
    database.dispose()
