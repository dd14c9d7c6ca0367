"""The working-day calendar: weekends and gazetted holidays from config/, counted in India time."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from models.core.settings import ROOT

IST = ZoneInfo("Asia/Kolkata")
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def to_local(at: datetime) -> datetime:
    """The moment in India time (display and working-day arithmetic)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime given; use timezone-aware UTC")
    return at.astimezone(IST)


@dataclass(frozen=True)
class WorkingCalendar:
    weekend: frozenset[int]           # weekday numbers, Monday = 0
    holidays: dict[date, str]
    due_time: time

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def due_at(self, start: datetime, days: int) -> datetime:
        """When something started at `start` with `days` working days allowed falls due (UTC)."""
        last_day = self.add_working_days(to_local(start).date(), days)
        return datetime.combine(last_day, self.due_time, tzinfo=IST).astimezone(timezone.utc)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after `start`'s local date up to and including `end`'s."""
        a, b = to_local(start).date(), to_local(end).date()
        count = 0
        while a < b:
            a += timedelta(days=1)
            count += self.is_working_day(a)
        return count


def load_calendar(path: Path) -> WorkingCalendar:
    """A calendar from a TOML file shaped like config/calendar.toml."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    try:
        weekend = frozenset(_DAYS.index(d) for d in data.get("weekend", ["Sunday"]))
    except ValueError as exc:
        raise ValueError(f"{path}: weekend must name days like 'Saturday'") from exc
    holidays = {
        (d if isinstance(d, date) else date.fromisoformat(str(d))): name
        for d, name in data.get("holidays", {}).items()
    }
    hh, mm = (int(x) for x in data.get("due_time", "18:00").split(":"))
    return WorkingCalendar(weekend=weekend, holidays=holidays, due_time=time(hh, mm))


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    return load_calendar(ROOT / "config" / "calendar.toml")
