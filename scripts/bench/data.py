"""Fill PostgreSQL with N realistic complaints, fast and repeatably (issue 15's data generator).

    python -m scripts.bench.data --url postgresql+psycopg://…/bench --count 1000000 [--seed 7]
    python -m scripts.bench.data --url postgresql+psycopg://…/bench --add-calls-and-explanations [--seed 7]

Complaints use the demo's districts, blocks, departments, categories and officers (run `helpline
db upgrade` and `helpline seed --demo` on the database first); channels, levels, statuses, closure
types and dates come in realistic proportions; each has 3–8 history rows. Rows go in with
PostgreSQL COPY (not the ORM), complaint IDs are valid (year, sequence, Verhoeff check digit) in
years before this one, and the ID allocator's counters are moved past them, so the desk can
register on top. Then, by SQL on the server from those rows, each escalation by the clock gets
the explanation asked of the officer who held the complaint, and each phone complaint its call
(EXPLANATIONS_SQL, CALLS_SQL); `--add-calls-and-explanations` runs only that step, on a database
filled already (what is there already is not added twice). The same seed gives the same data.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg

from models.complaints import complaint_id

CHANNELS = [("phone", 62), ("portal", 14), ("whatsapp", 9), ("cm_jandarshan", 3),
            ("collector_jandarshan", 7), ("open311", 2), ("counter", 3)]
# status, share, closure_reason (for closed ones)
OUTCOMES = [("assigned", 8, None), ("in_progress", 6, None), ("escalated", 5, None),
            ("resolved", 6, None), ("closed", 55, "satisfied"), ("closed", 10, "no_response"),
            ("special_closed", 3, "policy_matter"), ("force_closed", 1, "secretary_order"),
            ("reopened", 2, None), ("with_nodal", 1, None), ("paused", 1, None), ("rejected", 2, None)]
LEVELS = [(1, 70), (2, 18), (3, 8), (4, 4)]
WORDS = ["हैंडपंप खराब है", "नामांतरण लंबित है", "राशन नहीं मिला", "सड़क टूटी है", "बिजली नहीं आती",
         "पेंशन रुकी है", "स्कूल में शिक्षक नहीं", "नाली जाम है", "आवास की किस्त नहीं मिली"]
NAMES = ["रामेश्वर साहू", "सुनीता वर्मा", "मनोज पटेल", "गीता ध्रुव", "अनिल यादव", "कविता नेताम"]


def fresh_database(server: str, name: str) -> str:
    """Drop and create database `name` on the PostgreSQL server of `server` (a SQLAlchemy URL of
    any database there); returns the new database's URL."""
    from sqlalchemy import create_engine, text

    base = server.rsplit("/", 1)[0]
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def prepare(url: str) -> str:
    """Migrate `url` and load the reference data and the demo officers (what the generator and
    the domain's routing need); returns `url`."""
    from models.core.db import Database
    from models.core.migrate import upgrade
    from models.seed.demo import seed_officers
    from models.seed.reference import seed_reference

    upgrade(url)
    database = Database(url)  # its own engine: the process's default database is left alone
    with database.unit_of_work() as uow:
        seed_reference(session=uow.session)
        seed_officers(session=uow.session)
        uow.commit()
    database.dispose()
    return url


def sized_databases(server: str, sizes: str, database: str | None = None, name: str = "helpline_bench"):
    """(size, url) for each of `sizes` ("100000,1000000"): database `name` on the server of
    `server`, recreated, migrated, seeded and filled up to each size in turn (the figures of each
    fill printed); or, with `database`, that one database as it is, once."""
    if database:
        url = server.rsplit("/", 1)[0] + "/" + database
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as conn:
            size = conn.execute(text("SELECT count(*) FROM complaints")).scalar_one()
        engine.dispose()
        yield size, url
        return
    url, have = prepare(fresh_database(server, name)), 0
    for size in (int(s) for s in sizes.split(",")):
        made = generate(url, size - have, seed=size)
        have = size
        print(f"\n{size:,} complaints ({made['events']:,} history rows added in {made['seconds']} s)")
        yield size, url


def sample_of(session, column: str, n: int) -> list:
    """Up to `n` values of complaints.`column` from about 1 % of the table's pages (all of a small
    table), to look up at random."""
    from sqlalchemy import text

    for query in (f"SELECT {column} FROM complaints TABLESAMPLE SYSTEM (1) LIMIT {n}",
                  f"SELECT {column} FROM complaints LIMIT {n}"):
        values = [row[0] for row in session.execute(text(query))]
        if values:
            return values
    raise SystemExit("no complaints: fill the database first (python -m scripts.bench.data)")


_CUMULATIVE: dict[int, list[int]] = {}


def _weighted(rng: random.Random, table):
    cumulative = _CUMULATIVE.get(id(table))
    if cumulative is None:
        cumulative = _CUMULATIVE[id(table)] = list(itertools.accumulate(row[1] for row in table))
    return rng.choices(table, cum_weights=cumulative)[0]


def _reference(conn) -> dict:
    rows = conn.execute("SELECT code, department_code, days_l1 FROM categories").fetchall()
    officers = conn.execute("SELECT id, department_code, district_code, block_id, level FROM officers "
                            "WHERE active AND receives_complaints").fetchall()
    blocks = conn.execute("SELECT id, district_code FROM blocks").fetchall()
    if not rows or not officers or not blocks:
        raise SystemExit("no reference data: run `helpline db upgrade` and `helpline seed --demo` first")
    by_place: dict[tuple, list[int]] = {}
    for officer_id, dept, district, block, level in officers:
        by_place.setdefault((dept, level, district), []).append(officer_id)
        by_place.setdefault((dept, level, None), []).append(officer_id)
    return {"categories": rows, "blocks": blocks, "officers": by_place}


BULK = 200_000  # from this many complaints on, indexes are rebuilt after the load, not kept up row by row
TABLES = ("complaints", "complaint_events")


def _drop_indexes(conn) -> list[str]:
    """Drop the secondary indexes of the two tables (not primary keys and unique constraints);
    returns their definitions, to create them again after the load."""
    rows = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", (list(TABLES),)).fetchall()
    for name, _definition in rows:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def generate(url: str, count: int, seed: int = 7, years: int = 5, batch: int = 50_000,
             progress=None) -> dict:
    """Add `count` complaints (and their history) to the database at `url`; `progress(done)` is
    called after each batch. From BULK complaints on, the secondary indexes are dropped for the
    load and built again after it, and the foreign keys are not checked row by row
    (session_replication_role = replica, so a superuser is needed): every reference comes from
    the reference tables just read."""
    rng = random.Random(seed)
    started = time.perf_counter()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        indexes = []
        if count >= BULK:
            indexes = _drop_indexes(conn)
            conn.execute("SET session_replication_role = replica")
            conn.commit()
        ref = _reference(conn)
        first_id = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM complaints").fetchone()[0]) + 1
        this_year = datetime.now(UTC).year
        per_year = -(-count // years)
        used = {row[0]: row[1] for row in conn.execute("SELECT year, last FROM complaint_sequences")}
        events = 0
        with conn.cursor() as cur:
            done = 0
            while done < count:
                n = min(batch, count - done)
                complaints, history = [], []
                for i in range(done, done + n):
                    year = this_year - years + i // per_year
                    sequence = used.get(year, 0) + 1 + i % per_year
                    # In time order through the year, as a live helpline writes them (and as the
                    # IDs' sequence runs): a month's complaints lie together in the table.
                    at = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
                        seconds=(i % per_year + rng.random()) * 365 * 86400 / per_year)
                    row, rows = _complaint(rng, ref, first_id + i, complaint_id.make(year, sequence), at)
                    complaints.append(row)
                    history.extend(rows)
                with cur.copy("COPY complaints (id, public_id, channel, status, language, citizen_name, mobile, "
                              "district_code, block_id, address, description, callback_requested, "
                              "category_code, department_code, level, officer_id, due_at, resolved_level, "
                              "resolution, transfer_count, reopen_count, closure_reason, created_at, "
                              "registered_at, assigned_at, resolved_at, closed_at, last_action_at) "
                              "FROM STDIN") as copy:
                    for row in complaints:
                        copy.write_row(row)
                with cur.copy("COPY complaint_events (complaint_id, at, actor, channel, action, from_status, "
                              "to_status, level, officer_id, note) FROM STDIN") as copy:
                    for row in history:
                        copy.write_row(row)
                events += len(history)
                done += n
                conn.commit()
                if progress:
                    progress(done)
            if indexes:
                cur.execute("SET session_replication_role = DEFAULT")
                cur.execute("SET maintenance_work_mem = '512MB'")
                for definition in indexes:
                    cur.execute(definition)
                conn.commit()
            for year in range(this_year - years, this_year):
                last = used.get(year, 0) + min(per_year, max(0, count - (year - this_year + years) * per_year))
                cur.execute("INSERT INTO complaint_sequences (year, last) VALUES (%s, %s) "
                            "ON CONFLICT (year) DO UPDATE SET last = GREATEST(complaint_sequences.last, EXCLUDED.last)",
                            (year, last))
            cur.execute("SELECT setval(pg_get_serial_sequence('complaints', 'id'), (SELECT MAX(id) FROM complaints))")
            conn.commit()
            cur.execute("ANALYZE complaints")
            cur.execute("ANALYZE complaint_events")
        conn.commit()
        added = add_calls_and_explanations(conn, seed=seed, first_id=first_id, bulk=count >= BULK)
    return {"complaints": count, "events": events, "explanations": added["explanations"], "calls": added["calls"],
            "seconds": round(time.perf_counter() - started, 1)}


def _complaint(rng: random.Random, ref: dict, row_id: int, public_id: str, created: datetime):
    category, department, days = rng.choice(ref["categories"])
    block_id, district = rng.choice(ref["blocks"])
    status, _, closure = _weighted(rng, OUTCOMES)
    level = _weighted(rng, LEVELS)[0]
    officers = ref["officers"].get((department, level, district)) or ref["officers"].get((department, level, None)) \
        or ref["officers"].get((department, 1, None)) or [None]
    officer = rng.choice(officers)
    due = created + timedelta(days=(days or 7) * level)
    done = status in ("resolved", "closed", "special_closed", "force_closed", "rejected")
    resolved_at = created + timedelta(days=rng.uniform(1, (days or 7) * level * 1.5)) if done else None
    closed_at = resolved_at + timedelta(days=rng.uniform(0.5, 4)) if status != "resolved" and done else None
    last = closed_at or resolved_at or created + timedelta(days=rng.uniform(0, 10))
    mobile = f"{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
    row = (row_id, public_id, _weighted(rng, CHANNELS)[0], status, "hi", rng.choice(NAMES), mobile, district,
           block_id, "", f"{rng.choice(WORDS)} ({public_id[-4:]})", False, category, department, level, officer,
           due, level if resolved_at else None, "कार्यवाही पूर्ण" if resolved_at else None,
           0, 1 if status == "reopened" else 0, closure, created, created, created, resolved_at, closed_at, last)
    history = [(row_id, created, "ivr", "phone", "draft", None, "draft", None, None, ""),
               (row_id, created, "user:agent1", "phone", "register", "draft", "registered", None, None, ""),
               (row_id, created, "system", "system", "assign", "registered", "assigned", 1, officer, "")]
    for step in range(level - 1):
        history.append((row_id, created + timedelta(days=(days or 7) * (step + 1)), "system:sla", "system",
                        "escalate", "assigned", "escalated", step + 2, officer, ""))
    if resolved_at:
        history.append((row_id, resolved_at, "user:officer", "desk", "resolve", "in_progress", "resolved",
                        level, officer, "कार्यवाही पूर्ण"))
    if closed_at:
        history.append((row_id, closed_at, "ivr:feedback", "phone", "close", "resolved", status, level, officer, ""))
    return row, history[:8]


REASONS = ["कर्मचारी अवकाश पर थे", "सामग्री उपलब्ध नहीं थी", "स्थल निरीक्षण में समय लगा",
           "अन्य विभाग से जानकारी प्रतीक्षित थी", "बजट स्वीकृति लंबित थी", "शिकायतकर्ता से संपर्क नहीं हो सका"]
RECORDED = 40  # percent of the phone complaints' calls with a recording path


def _pick(key: str, salt: int, modulo: int) -> str:
    """SQL for a repeatable pseudo-random integer in [0, modulo) from the integer expression `key`,
    the seed and `salt` (PostgreSQL's hashint8extended: the same on every run)."""
    return f"(abs(hashint8extended({key}, %(seed)s * 16 + {salt})) %% {modulo})"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


# One explanation per escalation by the clock (the sweep's 'system:sla' escalate rows), asked of the
# officer who held the complaint before it (the officer of its previous assign, escalate or transfer
# row) about the level it missed, when that deadline passed; due 3 working days later (weekends
# skipped, holidays not). The officer submits within 3 days (8 % never do), a reviewer decides
# within 10 days more (about 75 % accepted): what falls after the generated period's last
# registration ("now" for the generated data) is still requested or submitted.
EXPLANATIONS_SQL = f"""
INSERT INTO explanations (complaint_id, officer_id, level, round, missed_due_at, due_at, status,
                          requested_at, submitted_at, text, reviewed_at, reviewer, review_note)
SELECT complaint_id, officer_id, level, 0, at,
       at + make_interval(days => 3 + CASE WHEN extract(isodow FROM at) + 3 > 5 THEN 2 ELSE 0 END),
       status, at, CASE WHEN status <> 'requested' THEN submitted END,
       CASE WHEN status <> 'requested' THEN (({_array(REASONS)})[1 + {_pick("id", 3, len(REASONS))}]) ELSE '' END,
       CASE WHEN status IN ('accepted', 'rejected') THEN reviewed END,
       CASE WHEN status IN ('accepted', 'rejected') THEN 'nodal' END, ''
FROM (SELECT *, CASE WHEN {_pick("id", 0, 100)} < 8 OR submitted > clock THEN 'requested'
                     WHEN reviewed > clock THEN 'submitted'
                     WHEN {_pick("id", 4, 100)} < 75 THEN 'accepted' ELSE 'rejected' END AS status
      FROM (SELECT id, complaint_id, before AS officer_id, level - 1 AS level, at, clock,
                   at + make_interval(secs => 600 + {_pick("id", 1, 3 * 86400)}) AS submitted,
                   at + make_interval(secs => 1200 + {_pick("id", 1, 3 * 86400)} + {_pick("id", 2, 10 * 86400)})
                       AS reviewed
            FROM (SELECT id, complaint_id, level, at, action, actor,
                         lag(officer_id) OVER (PARTITION BY complaint_id ORDER BY id) AS before
                  FROM complaint_events
                  WHERE action IN ('assign', 'escalate', 'transfer') AND complaint_id >= %(first)s) held,
                 (SELECT max(created_at) AS clock FROM complaints) now
            WHERE action = 'escalate' AND actor = 'system:sla' AND before IS NOT NULL) escalation) decided
ORDER BY complaint_id, level
ON CONFLICT (complaint_id, level, round) DO NOTHING
"""

# One call per phone complaint, from the complainant's mobile, answered by an agent after a short
# wait in the queue and ended a minute or two after the registration; RECORDED % kept a recording.
# Asterisk-like unique IDs (registration epoch . complaint id), so a second run (any seed) adds none twice.
CALLS_SQL = f"""
INSERT INTO calls (uniqueid, caller_number, channel, language, started_at, ended_at, recording_path,
                   queue_outcome, queue_wait_seconds, agent, disposition, complaint_id)
SELECT uniqueid, mobile, 'PJSIP/trunk-' || lpad(to_hex(id), 8, '0'), language, started, ended,
       CASE WHEN {_pick("id", 7, 100)} < {RECORDED} THEN 'conversation-' || uniqueid || '.wav' END,
       'answered', wait, 'agent' || (1 + {_pick("id", 8, 20)}), 'registered', id
FROM (SELECT id, mobile, language, started, ended, wait,
             floor(extract(epoch FROM created_at))::bigint || '.' || id AS uniqueid
      FROM (SELECT id, mobile, language, created_at, {_pick("id", 5, 90)} AS wait,
                   created_at - make_interval(secs => 90 + {_pick("id", 6, 420)}) AS started,
                   created_at + make_interval(secs => 20 + {_pick("id", 9, 120)}) AS ended
            FROM complaints WHERE channel = 'phone' AND id >= %(first)s) timed) phone
ORDER BY id
ON CONFLICT (uniqueid) DO NOTHING
"""


def add_calls_and_explanations(conn, seed: int = 7, first_id: int = 1, bulk: bool = False) -> dict:
    """Add, by SQL on the server from the rows already there, the explanations of the clock's
    escalations and the calls of the phone complaints, for complaints from `first_id` on (see
    EXPLANATIONS_SQL and CALLS_SQL); rows already there are kept, so a second run adds nothing.
    `bulk` leaves the foreign keys unchecked row by row (every reference is read from the tables).
    Returns the rows added and the seconds taken."""
    started = time.perf_counter()
    if bulk:
        conn.execute("SET session_replication_role = replica")
    added = {}
    for name, sql in (("explanations", EXPLANATIONS_SQL), ("calls", CALLS_SQL)):
        added[name] = conn.execute(sql, {"seed": seed, "first": first_id}).rowcount
        conn.commit()
    if bulk:
        conn.execute("SET session_replication_role = DEFAULT")
    conn.execute("ANALYZE explanations")
    conn.execute("ANALYZE calls")
    conn.commit()
    return {**added, "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL SQLAlchemy URL (postgresql+psycopg://…)")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--add-calls-and-explanations", action="store_true",
                        help="only add the calls and explanations to a database filled already (none twice)")
    args = parser.parse_args(argv)
    if not args.url.startswith("postgresql"):
        raise SystemExit("the generator writes with PostgreSQL COPY: give a postgresql+psycopg:// URL")
    if args.add_calls_and_explanations:
        with psycopg.connect(args.url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            size = conn.execute("SELECT count(*) FROM complaints").fetchone()[0]
            added = add_calls_and_explanations(conn, seed=args.seed, bulk=size >= BULK)
        print(f"{added['explanations']} explanations, {added['calls']} calls added to {size} complaints "
              f"in {added['seconds']} s")
        return 0
    figures = generate(args.url, args.count, seed=args.seed)
    rate = figures["complaints"] / max(figures["seconds"], 0.001)
    print(f"{figures['complaints']} complaints, {figures['events']} history rows, {figures['explanations']} "
          f"explanations, {figures['calls']} calls in {figures['seconds']} s ({rate:,.0f} complaints/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
