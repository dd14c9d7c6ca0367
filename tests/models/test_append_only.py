"""The complaint history and the audit trail are append-only: the models refuse to change or remove
a row, no code has a path that would, and the database itself refuses UPDATE and DELETE (0015)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from models.complaints.complaint import HistoryIsAppendOnly
from models.people.audit import AuditIsAppendOnly, record
from tests.factories import make_complaint

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_models_refuse_to_change_or_remove_an_audit_row(session, change):
    row = record(session=session, action="login", subject="user:agent1", actor="user:agent1")
    session.flush()
    if change == "update":
        row.note = "rewritten"
    else:
        session.delete(row)
    with pytest.raises(AuditIsAppendOnly):
        session.flush()
    session.rollback()


def test_the_models_refuse_to_remove_a_history_row(session):
    complaint = make_complaint(session)
    with pytest.raises(HistoryIsAppendOnly), session.begin_nested():
        session.delete(complaint.history[0])
        session.flush()


@pytest.mark.parametrize("statement", [
    "UPDATE complaint_events SET note = 'rewritten' WHERE id = :id",
    "DELETE FROM complaint_events WHERE id = :id",
    "UPDATE audit_events SET actor = 'someone else' WHERE id = :audit",
    "DELETE FROM audit_events WHERE id = :audit",
])
def test_the_database_refuses_to_change_or_remove_a_row(session, statement):
    """Code that went around the models (or a person at psql) meets a trigger."""
    complaint = make_complaint(session)
    audit = record(session=session, action="login", subject="user:agent1", actor="user:agent1")
    session.flush()
    with pytest.raises(DatabaseError, match="append-only"), session.begin_nested():
        session.execute(text(statement), {"id": complaint.history[0].id, "audit": audit.id})
    assert session.scalar(text("SELECT count(*) FROM complaint_events WHERE id = :id"),
                          {"id": complaint.history[0].id}) == 1
    session.execute(text("INSERT INTO audit_events (at, actor, action, subject, note) "
                         "VALUES (CURRENT_TIMESTAMP, 'system', 'test', 'x', '')"))  # adding still works


WRITES = re.compile(r"(update|delete)\(\s*(ComplaintEvent|AuditEvent)\b|"
                    r"(UPDATE|DELETE FROM)\s+(complaint_events|audit_events)\b", re.IGNORECASE)


def test_no_code_has_an_update_or_delete_path_for_them():
    found = []
    for package in ("models", "agent_desk", "ivr", "scripts"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found += [(str(path.relative_to(ROOT)), m.group(0)) for m in WRITES.finditer(path.read_text())]
    assert not found, found
