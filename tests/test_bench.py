"""Smoke runs of the scale benchmarks (scripts/bench/) at a tiny size on PostgreSQL, so they do not
rot: each one runs end to end and prints its figures in the shape docs/PERFORMANCE.md quotes. No
figure is judged here (speed is the benchmarks' business, not the tests')."""

from __future__ import annotations

import re
import socket

import pytest
from sqlalchemy import create_engine, text

from scripts.bench import dashboards, data, desk_load, lookups
from tests.conftest import fresh_postgres_database

NUMBER = r"\d+\.\d{3}"


@pytest.fixture(scope="module")
def bench_url() -> str:
    """A database filled by the generator with 400 complaints (the row-by-row path)."""
    url = data.prepare(fresh_postgres_database("helpline_bench_smoke"))
    made = data.generate(url, 400, seed=3)
    assert made["complaints"] == 400 and made["events"] >= 3 * 400
    return url


def _server_and_name(url: str) -> list[str]:
    return ["--server", url, "--database", url.rsplit("/", 1)[1]]


def _index_and_key_names(url: str) -> tuple[set, set]:
    engine = create_engine(url)
    with engine.connect() as conn:
        indexes = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename IN "
                                        "('complaints', 'complaint_events')")).scalars())
        keys = set(conn.execute(text("SELECT conname FROM pg_constraint WHERE conrelid IN "
                                     "('complaints'::regclass, 'complaint_events'::regclass)")).scalars())
    engine.dispose()
    return indexes, keys


def test_bulk_load_rebuilds_every_index_and_keeps_the_keys_on_postgresql(bench_url, monkeypatch):
    before = _index_and_key_names(bench_url)
    monkeypatch.setattr(data, "BULK", 100)  # 150 complaints take the bulk path
    seen = []
    made = data.generate(bench_url, 150, seed=4, batch=50, progress=seen.append)
    assert made["complaints"] == 150 and seen == [50, 100, 150]
    assert _index_and_key_names(bench_url) == before
    assert "ix_complaints_mobile" in before[0] and "fk_complaint_events_complaint_id_complaints" in before[1]
    engine = create_engine(bench_url)
    with engine.connect() as conn:  # every history row belongs to a complaint; IDs unique
        assert conn.execute(text("SELECT count(*) FROM complaint_events e LEFT JOIN complaints c "
                                 "ON c.id = e.complaint_id WHERE c.id IS NULL")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) - count(DISTINCT public_id) FROM complaints")).scalar_one() == 0
    engine.dispose()


EXPLANATION_ROWS = ("SELECT complaint_id, officer_id, level, round, missed_due_at, due_at, status, requested_at, "
                    "submitted_at, text, reviewed_at, reviewer FROM explanations ORDER BY complaint_id, level")
CALL_ROWS = ("SELECT uniqueid, caller_number, started_at, ended_at, recording_path, agent, complaint_id "
             "FROM calls ORDER BY complaint_id")


def test_explanations_follow_the_clocks_escalations_and_calls_the_phone_complaints_on_postgresql(
        bench_url, capsys):
    engine = create_engine(bench_url)
    with engine.begin() as conn:
        def q(sql):
            return conn.execute(text(sql)).all()
        escalations = q("SELECT e.complaint_id, e.level - 1, e.at, (SELECT p.officer_id FROM complaint_events p "
                        "WHERE p.complaint_id = e.complaint_id AND p.id < e.id AND p.action IN ('assign', 'escalate') "
                        "ORDER BY p.id DESC LIMIT 1) FROM complaint_events e "
                        "WHERE e.action = 'escalate' AND e.actor = 'system:sla' ORDER BY 1, 2")
        explanations = q("SELECT complaint_id, level, missed_due_at, officer_id FROM explanations ORDER BY 1, 2")
        assert len(explanations) > 100 and explanations == escalations  # one each, of the officer before it
        statuses = dict(q("SELECT status, count(*) FROM explanations GROUP BY status"))
        assert {"requested", "accepted", "rejected"} <= set(statuses) <= {"requested", "submitted", "accepted",
                                                                          "rejected"}, statuses
        assert statuses["accepted"] > statuses["rejected"] > 0
        assert q("SELECT count(*) FROM explanations WHERE round <> 0 OR requested_at <> missed_due_at "
                 "OR due_at <= requested_at OR (status = 'requested') <> (submitted_at IS NULL) "
                 "OR submitted_at <= requested_at OR (status IN ('accepted', 'rejected')) <> (reviewed_at IS NOT NULL) "
                 "OR reviewed_at <= submitted_at OR (reviewer IS NULL) <> (reviewed_at IS NULL) "
                 "OR (status = 'requested') <> (text = '')") == [(0,)]
        # the recent ones are pending: none decided after the generated period's last registration
        assert q("SELECT count(*) FROM explanations WHERE reviewed_at > (SELECT max(created_at) FROM complaints)") \
            == [(0,)]
        calls = q("SELECT c.channel, count(*), count(DISTINCT l.complaint_id), count(l.recording_path), "
                  "count(*) FILTER (WHERE l.caller_number <> c.mobile OR l.started_at >= c.created_at "
                  "OR l.ended_at <= c.created_at) FROM calls l JOIN complaints c ON c.id = l.complaint_id "
                  "GROUP BY c.channel")
        phone = q("SELECT count(*) FROM complaints WHERE channel = 'phone'")[0][0]
        assert len(calls) == 1 and calls[0][:3] == ("phone", phone, phone) and 0 < calls[0][3] < phone
        assert calls[0][4] == 0  # from the complainant's mobile, around the registration
        before = q(EXPLANATION_ROWS), q(CALL_ROWS)
        gone = [conn.execute(text(f"DELETE FROM {table} WHERE complaint_id <= 400")).rowcount  # the fixture's
                for table in ("explanations", "calls")]
    with engine.connect() as conn:  # its seed gives the same rows again; a second run adds none
        for _ in range(2):
            assert data.main(["--url", bench_url, "--add-calls-and-explanations", "--seed", "3"]) == 0
        assert (conn.execute(text(EXPLANATION_ROWS)).all(), conn.execute(text(CALL_ROWS)).all()) == before
    engine.dispose()
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith(f"{gone[0]} explanations, {gone[1]} calls added to ") and gone[0] > 0
    assert second.startswith("0 explanations, 0 calls added to ")


def test_lookups_and_the_sweep_print_their_figures_on_postgresql(bench_url, capsys):
    assert lookups.main([*_server_and_name(bench_url), "--samples", "5", "--overdue", "3,6,3"]) == 0
    out = capsys.readouterr().out
    for name in ("baseline SELECT 1", "status by ID", "search by mobile", "officer's open complaints"):
        assert re.search(rf"^{re.escape(name)}\s+{NUMBER}\s+{NUMBER}\s+\d+\.\d$", out, re.MULTILINE), name
    assert re.search(rf"^sweep query, first 200 of 3 overdue \(run 1\)\s+{NUMBER}\s+{NUMBER}$", out, re.MULTILINE)
    assert re.search(rf"^all 6 overdue IDs \(no LIMIT\)\s+{NUMBER}\s+{NUMBER}$", out, re.MULTILINE)
    # Two parts at once, as the worker runs the pass on PostgreSQL: together they escalate all six.
    assert re.search(rf"^sweep pass in 2 part\(s\), 6 of 6 escalated \(s, ms each\)\s+{NUMBER}\s+{NUMBER}$", out, re.MULTILINE)
    for run in (1, 2):  # 3 asked for twice: each run its own lines
        assert re.search(rf"^sweep pass in 2 part\(s\), 3 of 3 escalated \(s, ms each\) \(run {run}\)\s+{NUMBER}\s+{NUMBER}$",
                         out, re.MULTILINE), run


def test_dashboards_print_each_screen_with_its_rows_and_goal_on_postgresql(bench_url, capsys):
    assert dashboards.main([*_server_and_name(bench_url), "--samples", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^monthly grades, computed \(\d{{4}}-\d\d, job, once\)\s+{NUMBER}\s+{NUMBER}\s+\d+\.\d\s+[\d,]+\s*$",
                     out, re.MULTILINE)
    names = ["secretary's dashboard", "state dashboard (30 days)", "state dashboard (365 days)",
             "district ranking (7 days)",
             "district ranking (30 days)", "district ranking (365 days)", "monthly grades, stored (screen)", "Open311 requests (90 days, newest 1,000)",
             "secretary's inbox", "L2 officer's inbox", "L1 officer's inbox", "secretary's department figures"]
    for name in names:
        assert re.search(rf"^{re.escape(name)}.*\s{NUMBER}\s+{NUMBER}\s+\d+\.\d\s+[\d,]+\s+(met|MISSED)$",
                         out, re.MULTILINE), name
    assert re.search(rf"^baseline SELECT 1\s+{NUMBER}\s+{NUMBER}\s+1\.0\s*$", out, re.MULTILINE)


@pytest.mark.slow
def test_desk_load_serves_every_kind_of_request_on_postgresql(bench_url, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert desk_load.main([*_server_and_name(bench_url), "--agents", "3", "--seconds", "3",
                           "--think", "0.05", "--port", str(port)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^3 agents, \d+\.\d requests/s, load average", out, re.MULTILINE)
    for kind in ("login (argon2)", "search by mobile", "open complaint", "baseline: static file"):
        assert re.search(rf"^{re.escape(kind)}\s+\d+\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\s+0\b", out, re.MULTILINE), kind
    assert "agent stopped" not in out and "HTTP" not in out
