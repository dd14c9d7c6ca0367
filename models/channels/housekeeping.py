"""The worker's clean-up of the channels' short-lived rows: rate-limit hits outside every window,
and one-time codes long expired (a blocked mobile's code stays until its block ends)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, or_

from models.channels.codes import MobileCode
from models.channels.limits import RateHit
from models.core.base import utcnow
from models.core.db import Database, default_database

log = logging.getLogger(__name__)
KEEP = timedelta(days=1)  # longer than any limit's window or a code's life


def purge_channel_rows(*, database: Database | None = None, now: datetime | None = None) -> int:
    """Delete rate-limit hits and codes older than a day; returns how many rows went."""
    database = database or default_database()
    before = (now or utcnow()) - KEEP
    with database.unit_of_work() as uow:
        hits = uow.session.execute(delete(RateHit).where(RateHit.at < before)).rowcount
        codes = uow.session.execute(delete(MobileCode).where(
            MobileCode.expires_at < before,
            or_(MobileCode.blocked_until.is_(None), MobileCode.blocked_until < before))).rowcount
        uow.commit()
    if hits or codes:
        log.info("purged %d rate-limit hits and %d one-time codes", hits, codes)
    return hits + codes
