"""One-time codes: only an HMAC is kept, a code expires after 10 minutes and is used once, three
wrong codes block the mobile for 30 minutes, and a mobile gets at most 3 codes in 30 minutes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models.channels import codes, limits
from models.core.base import utcnow
from models.notifications.outbox import OutboxMessage
from tests.factories import next_mobile

SECRET = "code-tests"


def _sent(session, mobile: str, now) -> str:
    codes.send_code(session=session, mobile=mobile, secret=SECRET, now=now)
    body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.mobile == mobile)
                           .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_code_is_kept_only_as_an_hmac_expires_and_is_used_once(session):
    mobile, now = next_mobile(), utcnow()
    code = _sent(session, mobile, now)
    row = session.scalars(select(codes.MobileCode).where(codes.MobileCode.mobile == mobile)).one()
    assert code not in row.digest and len(row.digest) == 64
    late = codes.check_code(session=session, mobile=mobile, code=code, secret=SECRET,
                            now=now + timedelta(minutes=10, seconds=1))
    assert late.outcome is codes.Outcome.EXPIRED
    code = _sent(session, mobile, now + timedelta(minutes=11))
    at = now + timedelta(minutes=12)
    assert codes.check_code(session=session, mobile=f"+91 {mobile}", code=code, secret=SECRET,
                            now=at).outcome is codes.Outcome.OK
    assert codes.check_code(session=session, mobile=mobile, code=code, secret=SECRET,
                            now=at).outcome is codes.Outcome.EXPIRED  # used


def test_three_wrong_codes_block_for_thirty_minutes(session):
    mobile, now = next_mobile(), utcnow()
    code = _sent(session, mobile, now)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    outcomes = [codes.check_code(session=session, mobile=mobile, code=wrong, secret=SECRET, now=now)
                for _ in range(3)]
    assert [o.outcome for o in outcomes] == [codes.Outcome.WRONG, codes.Outcome.WRONG, codes.Outcome.BLOCKED]
    assert outcomes[0].remaining == 2 and outcomes[2].until == now + timedelta(minutes=30)
    with pytest.raises(codes.CodeBlocked):
        codes.send_code(session=session, mobile=mobile, secret=SECRET, now=now + timedelta(minutes=29))
    code = _sent(session, mobile, now + timedelta(minutes=31))  # the block is over
    assert codes.check_code(session=session, mobile=mobile, code=code, secret=SECRET,
                            now=now + timedelta(minutes=31)).outcome is codes.Outcome.OK


def test_at_most_three_codes_in_thirty_minutes(session):
    mobile, now = next_mobile(), utcnow()
    for minute in range(3):
        codes.send_code(session=session, mobile=mobile, secret=SECRET, now=now + timedelta(minutes=minute))
    with pytest.raises(limits.RateLimited) as refused:
        codes.send_code(session=session, mobile=mobile, secret=SECRET, now=now + timedelta(minutes=5))
    assert refused.value.retry_after == now + timedelta(minutes=30)
    codes.send_code(session=session, mobile=mobile, secret=SECRET, now=now + timedelta(minutes=31))
