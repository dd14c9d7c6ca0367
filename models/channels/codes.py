"""One-time codes by SMS: the portal confirms a citizen's mobile before it registers a complaint.

A code has 6 digits, is kept only as an HMAC (keyed by the app's secret), expires after
CODE_TTL, is sent at most CODES_PER_WINDOW times a window per mobile, and a wrong code
MAX_WRONG times blocks the mobile for BLOCK_FOR. The SMS goes through the ordinary outbox.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.channels import limits
from models.complaints.intake import normalise_mobile
from models.core.base import Base, utcnow
from models.notifications.outbox import queue_sms

log = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=10)
CODES_PER_WINDOW, CODE_WINDOW = 3, timedelta(minutes=30)
MAX_WRONG = 3
BLOCK_FOR = timedelta(minutes=30)
SMS_KIND = "portal_code"  # its DLT template id: HELPLINE_SMS_TEMPLATE_IDS="portal_code.hi=…"
TEXTS = {
    "hi": "मुख्यमंत्री हेल्पलाइन: शिकायत दर्ज करने हेतु आपका सत्यापन कोड {code} है। "
          "यह 10 मिनट तक मान्य है। इसे किसी को न बताएँ।",
    "en": "CM Helpline: your code to lodge a complaint is {code}. It is valid for 10 minutes. "
          "Do not share it.",
}


class MobileCode(Base):
    __tablename__ = "mobile_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mobile: Mapped[str] = mapped_column(String(15), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    wrong_tries: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    blocked_until: Mapped[datetime | None] = mapped_column(default=None)


class CodeBlocked(Exception):
    """The mobile gave a wrong code too often; no code is sent or checked until `until`."""

    def __init__(self, until: datetime):
        super().__init__(f"blocked until {until:%H:%M} UTC")
        self.until = until


class Outcome(str, enum.Enum):
    OK = "ok"
    WRONG = "wrong"        # `remaining` tries are left
    EXPIRED = "expired"    # no live code: ask for a new one
    BLOCKED = "blocked"    # `until` says for how long


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    remaining: int = 0
    until: datetime | None = None


def _digest(secret: str, mobile: str, code: str) -> str:
    return hmac.new(secret.encode(), f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _blocked_until(session: Session, mobile: str, now: datetime) -> datetime | None:
    return session.scalars(select(MobileCode.blocked_until).where(
        MobileCode.mobile == mobile, MobileCode.blocked_until > now)
        .order_by(MobileCode.blocked_until.desc())).first()


def send_code(*, session: Session, mobile: str, secret: str, language: str = "hi",
              now: datetime | None = None) -> MobileCode:
    """Make a code for `mobile` and queue its SMS. Raises InvalidField (mobile), CodeBlocked or
    limits.RateLimited."""
    now = now or utcnow()
    mobile = normalise_mobile(mobile)
    until = _blocked_until(session, mobile, now)
    if until:
        raise CodeBlocked(until)
    limits.hit(session=session, key=f"code:mobile:{mobile}", limit=CODES_PER_WINDOW,
               window=CODE_WINDOW, now=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = MobileCode(mobile=mobile, digest=_digest(secret, mobile, code), created_at=now,
                     expires_at=now + CODE_TTL)
    session.add(row)
    language = language if language in TEXTS else "hi"
    queue_sms(session=session, mobile=mobile, body=TEXTS[language].format(code=code),
              language=language, kind=SMS_KIND)
    session.flush()
    log.info("one-time code queued for a mobile ending %s", mobile[-4:])
    return row


def check_code(*, session: Session, mobile: str, code: str, secret: str,
               now: datetime | None = None) -> Check:
    """Check the code the citizen typed against the mobile's newest live code (the caller commits
    whatever the outcome: a wrong try counts)."""
    now = now or utcnow()
    mobile = normalise_mobile(mobile)
    until = _blocked_until(session, mobile, now)
    if until:
        return Check(Outcome.BLOCKED, until=until)
    row = session.scalars(select(MobileCode).where(
        MobileCode.mobile == mobile, MobileCode.used_at.is_(None), MobileCode.expires_at > now)
        .order_by(MobileCode.id.desc())).first()
    if row is None:
        return Check(Outcome.EXPIRED)
    typed = "".join(ch for ch in code or "" if ch.isdigit())
    if hmac.compare_digest(row.digest, _digest(secret, mobile, typed)):
        row.used_at = now
        session.flush()
        return Check(Outcome.OK)
    row.wrong_tries += 1
    if row.wrong_tries >= MAX_WRONG:
        row.blocked_until, row.used_at = now + BLOCK_FOR, now
        session.flush()
        log.warning("mobile ending %s blocked after %d wrong codes", mobile[-4:], row.wrong_tries)
        return Check(Outcome.BLOCKED, until=row.blocked_until)
    session.flush()
    return Check(Outcome.WRONG, remaining=MAX_WRONG - row.wrong_tries)
