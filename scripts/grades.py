"""`helpline grades compute [--month YYYY-MM]`: (re)compute and store a month's grades."""

from __future__ import annotations

import argparse
from datetime import date

from models.core.base import utcnow
from models.core.db import Database
from models.core.settings import get_settings
from models.reports.grades import previous_month
from models.reports.jobs import grade_month


def parse_month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ValueError(f"--month must be YYYY-MM, not {text!r}") from None


def cli(args: argparse.Namespace) -> int:
    month = parse_month(args.month) if args.month else previous_month(utcnow())
    database = Database(get_settings().database_url)
    try:
        count = grade_month(database=database, month=month)
    finally:
        database.dispose()
    print(f"grades for {month:%Y-%m}: {count} districts and departments")
    return 0
