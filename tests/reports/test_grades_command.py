"""The grades as operators run them: the worker grades the month that ended, once; `helpline grades
compute --month` recomputes a past month to the same grades after the worker moved complaints on."""

from __future__ import annotations

import os
from datetime import date, timedelta

from sqlalchemy import create_engine, text

from tests.test_cli import run


def _grades(engine, month: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(
            "SELECT kind, code, score, grade, figures FROM report_grades WHERE month = :m ORDER BY kind, code"),
            {"m": f"{month}-01"})]


def test_the_worker_grades_last_month_once_and_the_command_recomputes_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    env = dict(os.environ, HELPLINE_DATABASE_URL=url, HELPLINE_VAR_DIR=str(tmp_path))
    run("db", "upgrade", env=env)
    run("seed", "--demo", env=env)
    engine = create_engine(url)
    with engine.connect() as conn:
        latest = conn.execute(text("SELECT max(registered_at) FROM complaints")).scalar_one()
    month = date.fromisoformat(str(latest)[:10]).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    now = f"{following.isoformat()}T10:00:00+05:30"

    out = run("worker", "--once", "--now", now, env=env)
    graded = int(out.split("monthly-grades:")[1].split()[0])
    stored = _grades(engine, f"{month:%Y-%m}")
    assert graded == len(stored) > 33 and any(row[3] for row in stored)
    assert {row[0] for row in stored} == {"district", "department"}
    assert "monthly-grades: 0" in run("worker", "--once", "--now", now, env=env)  # graded once

    out = run("grades", "compute", "--month", f"{month:%Y-%m}", env=env)
    assert f"grades for {month:%Y-%m}: {len(stored)}" in out
    assert _grades(engine, f"{month:%Y-%m}") == stored
    engine.dispose()
