"""The complaint ID: format, parsing, and the check digit catching keying slips."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.complaints import complaint_id
from models.complaints.complaint_id import InvalidComplaintId


def sample_ids(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [complaint_id.make(rng.randint(2024, 2099), rng.randint(1, complaint_id.SEQUENCE_MAX))
            for _ in range(n)]


def test_known_verhoeff_values():
    # Published examples of the scheme: 236 -> 2363, 12345 -> 123451.
    assert complaint_id.check_digit("236") == 3
    assert complaint_id.check_digit("12345") == 1
    assert complaint_id.verhoeff_ok("2363") and not complaint_id.verhoeff_ok("2364")


def test_id_shape():
    public_id = complaint_id.make(2026, 42)
    assert len(public_id) == 10 and public_id.startswith("260000042")
    assert complaint_id.parse(public_id) == public_id


@pytest.mark.parametrize("typed", ["26-0000042-{c}", " 26 0000 042 {c} ", "260000042{c}"])
def test_spaces_and_dashes_are_accepted(typed):
    public_id = complaint_id.make(2026, 42)
    assert complaint_id.parse(typed.format(c=public_id[-1])) == public_id


def test_every_single_digit_error_is_rejected():
    for public_id in sample_ids(300):
        for pos in range(10):
            for digit in "0123456789":
                if digit == public_id[pos]:
                    continue
                wrong = public_id[:pos] + digit + public_id[pos + 1:]
                with pytest.raises(InvalidComplaintId, match="check digit"):
                    complaint_id.parse(wrong)


def test_every_adjacent_swap_is_rejected():
    checked = 0
    for public_id in sample_ids(300, seed=11):
        for pos in range(9):
            a, b = public_id[pos], public_id[pos + 1]
            if a == b:
                continue
            swapped = public_id[:pos] + b + a + public_id[pos + 2:]
            assert not complaint_id.is_valid(swapped), (public_id, swapped)
            checked += 1
    assert checked > 2000


@pytest.mark.parametrize("text,message", [
    ("", "empty"), ("26000004", "10 digits"), ("26000004211", "10 digits"),
    ("26OOOOO42X", "only digits"), ("२६०००००४२१", "only digits"),
])
def test_malformed_input_gets_a_clear_error(text, message):
    with pytest.raises(InvalidComplaintId, match=message):
        complaint_id.parse(text)


@given(year=st.integers(2000, 2099), seq=st.integers(1, complaint_id.SEQUENCE_MAX))
def test_every_made_id_parses_back(year, seq):
    public_id = complaint_id.make(year, seq)
    assert complaint_id.parse(public_id) == public_id
    assert int(public_id[2:9]) == seq


def test_sequence_out_of_range_is_refused():
    with pytest.raises(ValueError):
        complaint_id.make(2026, 0)
    with pytest.raises(ValueError):
        complaint_id.make(2026, complaint_id.SEQUENCE_MAX + 1)
