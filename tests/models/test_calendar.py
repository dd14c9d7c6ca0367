"""Working days: weekends and gazetted holidays skipped, counted in India time, stored in UTC."""

from datetime import date, datetime, timezone

import pytest

from models.reference.calendar import IST, default_calendar, load_calendar


def test_weekend_and_holiday_are_skipped():
    cal = default_calendar()
    # Friday 30 Oct 2026 + 2 working days: Mon 2 Nov (1 Nov, Rajyotsava, is a Sunday anyway), Tue 3 Nov.
    assert cal.add_working_days(date(2026, 10, 30), 2) == date(2026, 11, 3)
    # Thursday 24 Dec 2026 + 1: Friday 25 Dec is Christmas, so Monday 28 Dec.
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def test_due_time_is_local_close_of_day_stored_in_utc():
    cal = default_calendar()
    due = cal.due_at(datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc), 3)
    assert due.tzinfo is not None and due.utcoffset().total_seconds() == 0
    assert due.astimezone(IST).replace(tzinfo=None) == datetime(2026, 12, 2, 18, 0)


def test_late_evening_utc_counts_from_the_next_india_day():
    cal = default_calendar()
    # 20:00 UTC on Sunday 29 Nov is 01:30 Monday 30 Nov in India: one working day is Tuesday.
    due = cal.due_at(datetime(2026, 11, 29, 20, 0, tzinfo=timezone.utc), 1)
    assert due.astimezone(IST).date() == date(2026, 12, 1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        default_calendar().due_at(datetime(2026, 11, 27, 10, 0), 1)


def test_bad_weekend_name_is_a_clear_error(tmp_path):
    path = tmp_path / "cal.toml"
    path.write_text('weekend = ["Sonntag"]\n')
    with pytest.raises(ValueError, match="weekend"):
        load_calendar(path)
