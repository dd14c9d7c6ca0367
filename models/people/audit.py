"""The audit trail beside complaint history: logins, and every change to users and master data
(departments' nodal officers, assistant nodal officers and secretaries; holidays), with who and when.

Changes are recorded when they are flushed, whatever code made them, so no screen can forget;
who made them comes from the function the desk registers (`set_actor_source`), else "system".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import String, Text, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base, append_only, utcnow

log = logging.getLogger(__name__)
HIDDEN = {"password_hash"}  # recorded as changed, never with its value


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)   # login, login_failed, user_changed, ...
    subject: Mapped[str] = mapped_column(String(120))              # user:agent1, department:REV, ...
    note: Mapped[str] = mapped_column(Text, default="")


class AuditIsAppendOnly(Exception):
    """An audit row may be added, never changed or removed (the database refuses too: migration 0015)."""


append_only(AuditEvent, AuditIsAppendOnly, "audit")


def _nobody() -> str | None:
    return None


_actor_source: Callable[[], str | None] = _nobody


def set_actor_source(source: Callable[[], str | None]) -> None:
    """Register how to name whoever is acting now (the desk: the logged-in user)."""
    global _actor_source
    _actor_source = source


def current_actor() -> str:
    return _actor_source() or "system"


def record(*, session: Session, action: str, subject: str, note: str = "", actor: str | None = None,
           at: datetime | None = None) -> AuditEvent:
    """An audit row in the caller's transaction."""
    row = AuditEvent(at=at or utcnow(), actor=actor or current_actor(), action=action, subject=subject,
                     note=note)
    session.add(row)
    return row


def recent(*, session: Session, limit: int = 200, subject: str | None = None) -> list[AuditEvent]:
    """The latest audit rows, newest first (of one subject when given)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if subject:
        query = query.where(AuditEvent.subject == subject)
    return list(session.scalars(query))


def _describe(value) -> str:
    if isinstance(value, (list, tuple, set)):
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    for name in ("username", "code"):
        if hasattr(value, name):
            return str(getattr(value, name))
    return str(getattr(value, "value", value))


def _changes(obj) -> list[str]:
    state, changed = inspect(obj), []
    for attr in state.mapper.attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        if attr.key in HIDDEN:
            changed.append(f"{attr.key}: changed")
        elif attr.key.endswith("_id") and attr.key.removesuffix("_id") in state.mapper.relationships:
            continue  # shown through its relationship
        else:
            before = _describe(history.deleted[0] if len(history.deleted) == 1 else list(history.deleted))
            after = _describe(history.added[0] if len(history.added) == 1 else list(history.added))
            changed.append(f"{attr.key}: {before} -> {after}")
    return changed


def _subject(obj) -> str | None:
    from models.people.users import User
    from models.reference.departments import Department
    from models.reference.holidays import Holiday

    if isinstance(obj, User):
        return f"user:{obj.username}"
    if isinstance(obj, Department):
        return f"department:{obj.code}"
    if isinstance(obj, Holiday):
        return f"holiday:{obj.day.isoformat()}"
    return None


@event.listens_for(Session, "before_flush")
def _audit_changes(session: Session, _context, _instances) -> None:
    for verb, objects in (("created", list(session.new)), ("changed", list(session.dirty)),
                          ("deleted", list(session.deleted))):
        for obj in objects:
            subject = _subject(obj)
            if subject is None or (verb == "changed" and not session.is_modified(obj)):
                continue
            note = "; ".join(_changes(obj)) if verb != "deleted" else ""
            if verb == "changed" and not note:
                continue
            kind = subject.split(":", 1)[0]
            record(session=session, action=f"{kind}_{verb}", subject=subject, note=note)


def record_login(*, session: Session, username: str, succeeded: bool, address: str = "") -> AuditEvent:
    """A login, or a failed attempt (the name as typed, never the password)."""
    name = (username or "")[:60]
    return record(session=session, action="login" if succeeded else "login_failed", subject=f"user:{name}",
                  actor=f"user:{name}" if succeeded else "anonymous", note=address[:60])
