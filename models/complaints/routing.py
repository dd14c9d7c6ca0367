"""Routing: category + district/block -> department -> the L1 officer of that jurisdiction."""

from __future__ import annotations

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


def route(*, session: Session, category_code: str, district_code: str | None,
          block_id: int | None = None, level: int = 1, start: datetime,
          calendar: WorkingCalendar | None = None) -> Route:
    """Where a complaint goes at `level`, and when it falls due there."""
    category = session.get(Category, category_code, options=[joinedload(Category.department)])
    if category is None:
        raise UnknownCategory(f"unknown category {category_code!r}")
    officer = officer_for(session=session, department_code=category.department_code, level=level,
                          district_code=district_code, block_id=block_id)
    if officer is None:
        raise NoOfficerConfigured(category.department_code, level, district_code, block_id)
    due = (calendar or working_calendar(session=session)).due_at(start, category.days_at(level))
    return Route(category=category, department=category.department, level=level,
                 officer=officer, due_at=due)
