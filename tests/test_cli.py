"""The `helpline` command: its help, and setup that is idempotent on a new database."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from scripts.cli import COMMANDS, build_parser
from tests.conftest import fresh_postgres_database

HELPLINE = Path(sys.executable).with_name("helpline")


def run(*args, env):
    result = subprocess.run([str(HELPLINE), *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_help_lists_every_command():
    result = subprocess.run([str(HELPLINE), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout, f"{name} missing from helpline --help"
    assert set(build_parser()._subparsers._group_actions[0].choices) == set(COMMANDS)


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("districts", "departments", "categories", "blocks", "officers", "users",
                            "complaints", "complaint_events")}
        counts["distinct_district_names"] = conn.execute(
            text("SELECT count(DISTINCT name_hi) FROM districts")).scalar_one()
    engine.dispose()
    return counts


def _setup_twice(url: str, tmp_path) -> None:
    env = dict(os.environ, HELPLINE_DATABASE_URL=url, HELPLINE_VAR_DIR=str(tmp_path))
    run("db", "upgrade", env=env)
    first_out = run("seed", "--demo", env=env)
    first = _counts(url)
    second_out = run("seed", "--demo", env=env)
    second = _counts(url)
    assert "districts 33" in first_out and "districts 0" in second_out
    assert first == second, "a second seed changed nothing"
    assert first["districts"] == 33 and first["distinct_district_names"] == 33
    assert first["complaints"] >= 200 and first["complaint_events"] > first["complaints"] * 2
    run("db", "upgrade", env=env)  # upgrading an up-to-date database is a no-op


def test_setup_is_idempotent_on_sqlite(tmp_path):
    _setup_twice(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path)


def test_setup_is_idempotent_on_postgresql(tmp_path):
    _setup_twice(fresh_postgres_database("helpline_cli_setup"), tmp_path)


def test_users_and_tokens(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    env = dict(os.environ, HELPLINE_DATABASE_URL=url, HELPLINE_VAR_DIR=str(tmp_path))
    run("db", "upgrade", env=env)
    run("seed", env=env)
    assert "added" in run("users", "add", "asha", "--role", "agent", "--password", "long-enough-1", env=env)
    token = run("tokens", "create", "crm", "--scope", "api", env=env).strip()
    assert token.startswith("hl_")
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username='asha'")).scalar_one()
        hashes = conn.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    engine.dispose()
    assert stored.startswith("$argon2") and token not in hashes
    bad = subprocess.run([str(HELPLINE), "users", "add", "x", "--role", "wizard", "--password", "p" * 9],
                         env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "unknown role" in (bad.stderr + bad.stdout)


def test_worker_once_escalates_as_of_now(tmp_path):
    """`helpline worker --once --now`: every job once as of that moment, as an operator runs it."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    env = dict(os.environ, HELPLINE_DATABASE_URL=url, HELPLINE_VAR_DIR=str(tmp_path))
    run("db", "upgrade", env=env)
    run("seed", "--demo", env=env)
    engine = create_engine(url)

    def escalations() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM complaint_events WHERE action='escalate'")).scalar_one()

    before = escalations()
    out = run("worker", "--once", "--now", "2099-01-01T10:00:00+05:30", env=env)
    swept = int(out.split("sla-sweep:")[1].split()[0])
    # Each complaint handled climbs once; those overdue at L4 stay there (the beyond-L4 list).
    assert swept > 0 and before < escalations() <= before + swept
    engine.dispose()
    bad = subprocess.run([str(HELPLINE), "worker", "--once", "--now", "tomorrow"], env=env,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "ISO-8601" in bad.stderr
