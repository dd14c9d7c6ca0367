"""Routing: category + district/block -> department -> the L1 officer of that jurisdiction."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, joinedload

from models.people.officers import Officer, officer_for
from models.reference.calendar import WorkingCalendar
from models.reference.departments import Category, Department
from models.reference.holidays import working_calendar


class NoOfficerConfigured(Exception):
    """No active officer covers this department, level and place."""

    code = "no_officer"

    def __init__(self, department_code: str, level: int, district_code: str | None, block_id: int | None):
        where = f"district {district_code}" + (f", block {block_id}" if block_id else "")
        super().__init__(f"no L{level} officer of department {department_code} is configured for {where}")
        self.department_code = department_code
        self.level = level


class UnknownCategory(Exception):
    """The category code is not in the master data."""

    code = "unknown_category"


@dataclass(frozen=True)
class Route:
    category: Category
    department: Department
    level: int
    officer: Officer
    due_at: datetime


class Routes:
    """The master data a run over many complaints (one pass of the SLA sweep, under a minute) asks
    for again and again, looked up once per run: each category, the officer per (department,
    level, district, block) and the working calendar. An officer or holiday changed meanwhile
    counts from the next run."""

    def __init__(self) -> None:
        self._categories: dict[str, Category | None] = {}
        self._officers: dict[tuple, Officer | None] = {}
        self._calendar: WorkingCalendar | None = None

    def calendar(self, session: Session) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = working_calendar(session=session)
        return self._calendar

    def reading(self, session: Session):
        """The session a look-up reads with (as a context): the caller's own here."""
        return nullcontext(session)

    def category(self, session: Session, code: str) -> Category | None:
        if code not in self._categories:
            with self.reading(session) as reader:
                self._categories[code] = reader.get(Category, code, options=[joinedload(Category.department)])
        return self._categories[code]

    def officer(self, session: Session, department_code: str, level: int,
                district_code: str | None, block_id: int | None) -> Officer | None:
        # The same key officer_for reads: the block at L1 only, the district at L1 and L2 only.
        key = (department_code, level, district_code if level <= 2 else None, block_id if level == 1 else None)
        if key not in self._officers:
            with self.reading(session) as reader:
                self._officers[key] = officer_for(session=reader, department_code=department_code, level=level,
                                                  district_code=district_code, block_id=block_id)
        return self._officers[key]


def route(*, session: Session, category_code: str, district_code: str | None,
          block_id: int | None = None, level: int = 1, start: datetime,
          calendar: WorkingCalendar | None = None, routes: Routes | None = None) -> Route:
    """Where a complaint goes at `level`, and when it falls due there (`routes`: a run's look-ups)."""
    routes = routes or Routes()  # a fresh one: every look-up asked now
    category = routes.category(session, category_code)
    if category is None:
        raise UnknownCategory(f"unknown category {category_code!r}")
    officer = routes.officer(session, category.department_code, level, district_code, block_id)
    if officer is None:
        raise NoOfficerConfigured(category.department_code, level, district_code, block_id)
    calendar = calendar or routes.calendar(session)
    due = calendar.due_at(start, category.days_at(level))
    return Route(category=category, department=category.department, level=level,
                 officer=officer, due_at=due)
