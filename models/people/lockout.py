"""The login lock-out, read from the audit trail's failed logins: after `max_failures` wrong
passwords in a row for one login name within `minutes`, that name may not log in until the
window has passed, even with the right password; an address that sends too many wrong passwords,
whatever the names, is refused the same way."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core.base import utcnow
from models.people.audit import AuditEvent

log = logging.getLogger(__name__)


def locked_out(*, session: Session, username: str, max_failures: int, minutes: int,
               now: datetime | None = None) -> bool:
    """Whether `username` has failed `max_failures` times since its last login within `minutes`."""
    if max_failures <= 0:
        return False
    subject = f"user:{(username or '')[:60]}"
    since = (now or utcnow()) - timedelta(minutes=minutes)
    last_login = session.scalar(select(func.max(AuditEvent.at)).where(
        AuditEvent.subject == subject, AuditEvent.action == "login", AuditEvent.at >= since))
    start = max(since, last_login) if last_login else since
    failures = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.subject == subject, AuditEvent.action == "login_failed", AuditEvent.at > start))
    return failures >= max_failures


def address_blocked(*, session: Session, address: str, max_failures: int, minutes: int,
                    now: datetime | None = None) -> bool:
    """Whether `address` sent `max_failures` wrong passwords, for any login names, within `minutes`."""
    if max_failures <= 0 or not address:
        return False
    since = (now or utcnow()) - timedelta(minutes=minutes)
    failures = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "login_failed", AuditEvent.note == address[:60], AuditEvent.at > since))
    return failures >= max_failures
