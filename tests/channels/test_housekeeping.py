"""The worker deletes rate-limit hits and one-time codes a day old, keeping a live block."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.channels import codes, limits
from models.channels.housekeeping import purge_channel_rows
from models.core.base import utcnow
from models.core.db import Database, unit_of_work
from tests.factories import next_mobile


def test_old_hits_and_codes_go_and_a_live_block_stays(app, channels_database_url):
    now = utcnow()
    old, fresh, blocked = next_mobile(), next_mobile(), next_mobile()
    with unit_of_work() as uow:
        codes.send_code(session=uow.session, mobile=old, secret="s", now=now - timedelta(days=2))
        codes.send_code(session=uow.session, mobile=fresh, secret="s", now=now)
        codes.send_code(session=uow.session, mobile=blocked, secret="s", now=now - timedelta(days=2))
        row = uow.session.scalars(select(codes.MobileCode).where(codes.MobileCode.mobile == blocked)).one()
        row.blocked_until = now + timedelta(minutes=5)
        limits.hit(session=uow.session, key=f"test:{old}", limit=5, window=timedelta(hours=1),
                   now=now - timedelta(days=2))
        uow.commit()
    database = Database(channels_database_url)
    assert purge_channel_rows(database=database, now=now) >= 3  # the old hits and code
    with unit_of_work() as uow:
        left = set(uow.session.scalars(select(codes.MobileCode.mobile).where(
            codes.MobileCode.mobile.in_([old, fresh, blocked]))))
        hits = list(uow.session.scalars(select(limits.RateHit.key).where(
            limits.RateHit.key.in_([f"test:{old}", f"code:mobile:{fresh}"]))))
    assert left == {fresh, blocked} and hits == [f"code:mobile:{fresh}"]
    database.dispose()
