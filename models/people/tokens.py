"""Bearer tokens for the JSON API and Open311, stored only as a SHA-256 hash."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base, utcnow


class TokenScope(str, enum.Enum):
    API = "api"          # acts as an admin on /api/v1/
    OPEN311 = "open311"  # may post service requests on /open311/v2/


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[TokenScope]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked: Mapped[bool] = mapped_column(default=False)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, session: Session, name: str, scope: TokenScope | str) -> str:
    """A new random token; only its hash is stored, so it is shown once."""
    token = "hl_" + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, scope=TokenScope(scope), token_hash=_digest(token)))
    session.flush()
    return token


def token_scope(*, session: Session, token: str) -> TokenScope | None:
    """The scope of a valid, unrevoked token, or None."""
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
    if row is None or row.revoked:
        return None
    return row.scope
