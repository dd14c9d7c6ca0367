"""Digits, numbers and dates as our own prompt keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivr.flows.readout import date_keys, digit_keys, number_keys
from ivr.prompts.catalogue import load_catalogue


def test_digits_one_by_one():
    assert digit_keys("26-0001234-5")[:3] == ["digit_2", "digit_6", "digit_0"]
    assert len(digit_keys("2600012345")) == 10


@pytest.mark.parametrize("n, keys", [
    (0, ["num_0"]), (99, ["num_99"]), (100, ["num_1", "num_hundred"]),
    (305, ["num_3", "num_hundred", "num_5"]), (2026, ["num_2", "num_thousand", "num_26"]),
    (9999, ["num_9", "num_thousand", "num_9", "num_hundred", "num_99"]),
])
def test_numbers(n, keys):
    assert number_keys(n) == keys


def test_number_out_of_range():
    with pytest.raises(ValueError):
        number_keys(10_000)


def test_date_is_read_in_india_time():
    # 20:00 UTC on 31 December is already 1 January 2027 in India
    assert date_keys(datetime(2026, 12, 31, 20, 0, tzinfo=UTC)) == [
        "num_1", "month_1", "num_2", "num_thousand", "num_27"]


def test_every_key_read_out_has_a_hindi_prompt():
    hi = load_catalogue("hi")
    keys = {k for n in range(10_000) for k in number_keys(n)} | set(digit_keys("0123456789"))
    assert keys <= set(hi)
