"""The caller's number from a trunk: +91, 91 and 0 forms become the 10 digits; withheld is None."""

import pytest

from models.calls.caller import caller_number


@pytest.mark.parametrize("raw", ["+919876543210", "919876543210", "09876543210", "9876543210",
                                 " +91 98765-43210 "])
def test_indian_forms_become_ten_digits(raw):
    assert caller_number(raw) == "9876543210"


@pytest.mark.parametrize("raw", [None, "", "anonymous", "Anonymous", "unknown", "Restricted", "12345",
                                 "+14155550100", "abc"])
def test_withheld_or_unusable_is_none(raw):
    assert caller_number(raw) is None


def test_a_call_record_keeps_what_the_columns_hold_of_a_huge_caller_id(session):
    """The FastAGI fuzz found it: a caller ID or channel name longer than its column lost the
    whole call record on PostgreSQL; the record is now kept, the values cut to fit."""
    from models.calls import service as calls

    call = calls.start_call(session=session, uniqueid="1799.1", caller_number="9" * 500,
                            channel="PJSIP/" + "x" * 500)
    session.commit()
    session.refresh(call)
    assert (len(call.caller_number), len(call.channel)) == (32, 120)
