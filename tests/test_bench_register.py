"""A smoke run of the registration benchmark (scripts/bench/register.py) at a tiny size, on
PostgreSQL (with pgbench's ceiling) and on SQLite, so it does not rot: it prints a row per number
of writers in the shape docs/PERFORMANCE.md quotes. No figure is judged here."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text

from scripts.bench import register
from tests.conftest import postgres_url

RATE = r"\d+\.\d"


@pytest.mark.postgres
def test_on_postgresql_beside_python_sql_and_pgbench(capsys):
    scratch = "helpline_bench_register_smoke" + os.environ.get("HELPLINE_TEST_DB_SUFFIX", "")
    assert register.main(["--server", postgres_url(), "--scratch", scratch, "--seconds", "1",
                          "--rounds", "1", "--writers", "1,2"]) == 0
    out = capsys.readouterr().out
    assert "pgbench /s" in out.splitlines()[1]
    for writers in (1, 2):
        assert re.search(rf"^\s+{writers}\s+{RATE}\s+{RATE}\s+\d+%\s+{RATE}\s+\d+%$", out, re.M), out
    engine = create_engine(postgres_url().rsplit("/", 1)[0] + "/" + scratch)
    with engine.connect() as conn:  # the service's complaints are whole: assigned, two history rows, an SMS
        whole = conn.execute(text(
            "SELECT count(*) FROM complaints c WHERE c.public_id NOT LIKE 'P%' AND c.public_id NOT LIKE '99%' "
            "AND c.status = 'assigned' AND (SELECT count(*) FROM complaint_events e WHERE e.complaint_id = c.id) = 2 "
            "AND EXISTS (SELECT 1 FROM sms_outbox m WHERE m.complaint_id = c.id)")).scalar_one()
        pgbench_rows = conn.execute(text("SELECT count(*) FROM complaints WHERE public_id LIKE 'P%'")).scalar_one()
    engine.dispose()
    assert whole > 0 and pgbench_rows > 0


def test_on_sqlite_beside_its_own_ceiling(capsys):
    assert register.main(["--sqlite", "--seconds", "0.5", "--rounds", "1", "--writers", "1"]) == 0
    out = capsys.readouterr().out
    assert "pgbench" not in out
    assert re.search(rf"^\s+1\s+{RATE}\s+{RATE}\s+\d+%$", out, re.M), out
