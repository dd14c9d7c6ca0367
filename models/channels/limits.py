"""Rate limits for the citizens' channels, counted in the database (so every desk process shares
them): at most `limit` hits of a key in a sliding window."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base, utcnow

log = logging.getLogger(__name__)


class RateHit(Base):
    __tablename__ = "rate_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), index=True)  # "lodge:ip:10.0.0.1", "track:mobile:…"
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RateLimited(Exception):
    """Too many tries of `key`; `retry_after` is when the oldest counted hit leaves the window."""

    def __init__(self, key: str, retry_after: datetime):
        super().__init__(f"too many requests for {key}; try again after {retry_after:%H:%M} UTC")
        self.key = key
        self.retry_after = retry_after


def hit(*, session: Session, key: str, limit: int, window: timedelta,
        now: datetime | None = None) -> None:
    """Count one try of `key`, or raise RateLimited when `limit` tries are already in the window."""
    now = now or utcnow()
    since = now - window
    session.execute(delete(RateHit).where(RateHit.key == key, RateHit.at < since))
    count, oldest = session.execute(select(func.count(), func.min(RateHit.at))
                                    .where(RateHit.key == key, RateHit.at >= since)).one()
    if count >= limit:
        log.info("rate limit reached for %s (%d in %s)", key, count, window)
        raise RateLimited(key, oldest + window)
    session.add(RateHit(key=key[:120], at=now))
    session.flush()
