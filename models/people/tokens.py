"""Bearer tokens for the JSON API and Open311, stored only as a SHA-256 hash."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base, utcnow


class TokenScope(str, enum.Enum):
    API = "api"          # acts as an admin on /api/v1/
    OPEN311 = "open311"  # may post service requests on /open311/v2/
    OFFICER = "officer"  # acts as one officer's user on /api/v1/, with that user's rights


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[TokenScope]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)  # None: until revoked
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)  # scope officer


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenNeedsOfficer(ValueError):
    """An officer token is bound to the login of an active user who is an officer."""

    code = "token_needs_officer"


def create_token(*, session: Session, name: str, scope: TokenScope | str,
                 officer_login: str | None = None, days: int | None = None) -> str:
    """A new random token; only its hash is stored, so it is shown once. Scope `officer` binds it
    to the user `officer_login`, whose rights it has; with `days`, it stops working after them."""
    if days is not None and days <= 0:
        raise ValueError(f"--days must be a positive number of days, not {days}")
    from models.people.users import User

    scope, user_id = TokenScope(scope), None
    if scope is TokenScope.OFFICER:
        user = session.scalars(select(User).where(User.username == (officer_login or ""))).first()
        if user is None or not user.active or user.officer_id is None:
            raise TokenNeedsOfficer(f"--officer must name an active officer's login, not {officer_login!r}")
        user_id = user.id
    token = "hl_" + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=days) if days else None
    session.add(ApiToken(name=name, scope=scope, token_hash=_digest(token), user_id=user_id, expires_at=expires))
    session.flush()
    return token


def token_scope(*, session: Session, token: str) -> TokenScope | None:
    """The scope of a valid, unrevoked token, or None."""
    row = token_row(session=session, token=token)
    return row.scope if row else None


def token_row(*, session: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The valid token row, neither revoked nor expired, or None."""
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at <= (now or utcnow())):
        return None
    return row


def revoke_tokens(*, session: Session, name: str) -> int:
    """Revoke every live token called `name`; returns how many."""
    rows = list(session.scalars(select(ApiToken).where(ApiToken.name == name, ApiToken.revoked.is_(False))))
    for row in rows:
        row.revoked = True
    session.flush()
    return len(rows)
