"""The worker's monthly grading: when a month has ended, its grades are computed and stored once."""

from __future__ import annotations

import logging
from datetime import date, datetime

from models.core.base import utcnow
from models.core.settings import get_settings
from models.reports.grades import compute_month, has_month, previous_month
from models.reports.grading import Grading, load_grading

log = logging.getLogger(__name__)


def grading_config() -> Grading:
    """The formula in config/grades.toml (under HELPLINE's config folder)."""
    return load_grading(get_settings().config_dir / "grades.toml")


def grade_month(*, database, month: date, now: datetime | None = None) -> int:
    """(Re)compute and store `month`'s grades in one transaction; how many were stored."""
    with database.unit_of_work() as uow:
        rows = compute_month(session=uow.session, month=month, grading=grading_config(), now=now)
        uow.commit()
    log.info("grades for %s: %d districts and departments", month.strftime("%Y-%m"), len(rows))
    return len(rows)


def grade_last_month(*, database, now: datetime | None = None) -> int:
    """The worker job: the month before `now` (India time) graded, unless it already is."""
    month = previous_month(now or utcnow())
    with database.unit_of_work() as uow:
        if has_month(session=uow.session, month=month):
            return 0
    return grade_month(database=database, month=month, now=now)
