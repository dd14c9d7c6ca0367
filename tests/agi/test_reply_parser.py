"""The reply parser against recorded exchanges, and a few hand-made edge cases."""

from __future__ import annotations

import pytest
from agi_exchanges import all_exchanges, expected_fields

import ivr.agi.errors as errors
from ivr.agi import AgiHangup, AgiUsageError, parse_reply, reply_is_complete

TURNS = [
    pytest.param(turn, id=f"{ex.name}:{i}:{turn.command[:24]}")
    for ex in all_exchanges()
    for i, turn in enumerate(ex.turns)
]


@pytest.mark.parametrize("turn", TURNS)
def test_recorded_reply(turn):
    reply = [line for line in turn.reply if not line.startswith("100 ")]
    assert reply_is_complete(reply)
    if turn.expect.startswith("ok"):
        result = parse_reply(reply)
        want = expected_fields(turn.expect)
        assert result.result == want["result"]
        assert result.data == want.get("data")
        assert result.endpos == (int(want["endpos"]) if "endpos" in want else None)
    else:
        with pytest.raises(getattr(errors, turn.expect)):
            parse_reply(reply)


def test_every_named_failure_is_recorded():
    seen = {t.expect for ex in all_exchanges() for t in ex.turns}
    assert {"AgiHangup", "AgiDeadChannel", "AgiUsageError", "AgiInvalidCommand", "AgiAppError"} <= seen


def test_usage_text_is_kept():
    lines = next(t.reply for ex in all_exchanges() for t in ex.turns if t.expect == "AgiUsageError")
    with pytest.raises(AgiUsageError) as info:
        parse_reply(lines)
    assert info.value.usage.startswith("Stream the given <replaceable>file</replaceable>")
    assert "End of proper usage" not in info.value.usage


def test_partial_usage_is_incomplete():
    assert not reply_is_complete(["520-Invalid command syntax.  Proper usage follows:"])
    assert not reply_is_complete(["520-Invalid command syntax.", "Usage: X"])


def test_digit_and_timeout():
    assert parse_reply(["200 result=50 endpos=10"]).digit == "2"
    assert parse_reply(["200 result=0 endpos=10"]).digit is None
    assert parse_reply(["200 result= (timeout)"]).timed_out


def test_empty_reply_is_a_hangup():
    with pytest.raises(AgiHangup):
        parse_reply([])


def test_dead_channel_is_a_hangup():
    with pytest.raises(AgiHangup):
        parse_reply(["511 Command Not Permitted on a dead channel or intercept routine"])


def test_garbage_is_unknown():
    with pytest.raises(errors.AgiUnknownError):
        parse_reply(["hello there"])
    with pytest.raises(errors.AgiUnknownError):
        parse_reply(["300 something"])
