"""The call centre's history, from Asterisk's own `queue_log`: every caller who joined the queue,
was answered or gave up (and after how long), every agent's calls, pauses and sessions.

Why queue_log: Asterisk writes it itself, line by line, as things happen; it outlives a restart
of the desk or of Asterisk (the file is appended to), and each line is final. AMI events are lost
while nobody listens. The importer reads the file from where it stopped (a byte offset kept in
the database), files each line once (its hash is unique: a re-read after a rotation or a crash
counts nothing twice), and fills `calls.queue_outcome` and `queue_wait_seconds`."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.calls.call import Call
from models.core.base import Base
from models.reference.calendar import IST

log = logging.getLogger(__name__)

READ_LIMIT = 5_000_000  # bytes per pass: a long backlog is read over several passes
OUTCOMES = {"CONNECT": "answered", "ABANDON": "abandoned", "EXITWITHTIMEOUT": "timeout",
            "EXITEMPTY": "timeout", "EXITWITHKEY": "left"}


class QueueEvent(Base):
    __tablename__ = "queue_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    callid: Mapped[str] = mapped_column(String(64), index=True)
    queue: Mapped[str] = mapped_column(String(40))
    agent: Mapped[str] = mapped_column(String(80))
    event: Mapped[str] = mapped_column(String(30), index=True)
    data: Mapped[str] = mapped_column(String(400), default="")  # the fields after the event, |-joined
    line_hash: Mapped[str] = mapped_column(String(40), unique=True)

    def field(self, n: int) -> str:
        parts = self.data.split("|")
        return parts[n] if n < len(parts) else ""


class QueueLogCursor(Base):
    """How far the importer has read the file (one row per file)."""

    __tablename__ = "queue_log_cursor"

    path: Mapped[str] = mapped_column(String(400), primary_key=True)
    offset: Mapped[int] = mapped_column(default=0)


def parse_line(line: str) -> dict | None:
    """`epoch|callid|queue|agent|event|data…` as Asterisk writes it; None for a broken line."""
    parts = line.rstrip("\n").split("|")
    if len(parts) < 5 or not parts[0].isdigit():
        return None
    return {"at": datetime.fromtimestamp(int(parts[0]), UTC), "callid": parts[1][:64],
            "queue": parts[2][:40], "agent": parts[3][:80], "event": parts[4][:30],
            "data": "|".join(parts[5:])[:400],
            "line_hash": hashlib.sha1(line.rstrip("\n").encode()).hexdigest()}


def import_lines(*, session: Session, lines: list[str]) -> int:
    """File the lines not filed before; returns how many were new."""
    parsed = [p for p in (parse_line(line) for line in lines if line.strip()) if p]
    if not parsed:
        return 0
    known = set(session.scalars(select(QueueEvent.line_hash).where(
        QueueEvent.line_hash.in_([p["line_hash"] for p in parsed]))))
    new = []
    for row in parsed:
        if row["line_hash"] in known:
            continue
        known.add(row["line_hash"])
        new.append(QueueEvent(**row))
    session.add_all(new)
    session.flush()
    _fill_calls(session, [e for e in new if e.event in OUTCOMES])
    return len(new)


def _fill_calls(session: Session, outcomes: list[QueueEvent]) -> None:
    for event in outcomes:
        call = session.scalars(select(Call).where(Call.uniqueid == event.callid)).first()
        if call is None:
            continue
        call.queue_outcome = OUTCOMES[event.event]
        wait = event.field(0) if event.event == "CONNECT" else event.field(2)
        if wait.isdigit():
            call.queue_wait_seconds = float(wait)


def _claim(session: Session, path: str) -> QueueLogCursor | None:
    """The file's cursor row, created once and held for this transaction; None while another
    worker holds it (PostgreSQL: SKIP LOCKED; SQLite serialises writers anyway)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(QueueLogCursor).values(path=path, offset=0).on_conflict_do_nothing())
    query = select(QueueLogCursor).where(QueueLogCursor.path == path)
    if dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def import_file(*, session: Session, path: Path) -> int:
    """Read `path` on from the stored offset (from the start when the file is new or was rotated),
    whole lines only; returns how many new events were filed."""
    cursor = _claim(session, str(path))
    if cursor is None or not path.exists():
        return 0  # another worker is reading it now
    size = path.stat().st_size
    if size < cursor.offset:
        cursor.offset = 0  # rotated or truncated: the hashes keep a re-read from counting twice
    with path.open("rb") as handle:
        handle.seek(cursor.offset)
        chunk = handle.read(READ_LIMIT)
    complete = chunk[:chunk.rfind(b"\n") + 1]  # a line Asterisk is still writing waits
    cursor.offset += len(complete)
    return import_lines(session=session, lines=complete.decode("utf-8", "replace").splitlines())


def import_queue_log(*, database=None, now: datetime | None = None, settings=None) -> int:
    """The worker's `queue-history` job."""
    from models.core.db import default_database
    from models.core.settings import get_settings

    settings, database = settings or get_settings(), database or default_database()
    with database.unit_of_work() as uow:
        count = import_file(session=uow.session, path=settings.queue_log)
        uow.commit()
    return count


# -- reports -----------------------------------------------------------------------------------

@dataclass
class AgentDay:
    agent: str
    handled: int = 0
    talk_s: int = 0
    pause_s: dict[str, int] = field(default_factory=dict)


@dataclass
class Hour:
    hour: int                 # India time, 0-23
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    abandoned_wait_s: int = 0  # summed: the callers' patience before giving up
    timed_out: int = 0
    answered_in_sl: int = 0
    wait_s: int = 0            # summed over answered calls

    @property
    def service_level(self) -> float | None:
        return round(100 * self.answered_in_sl / self.answered, 1) if self.answered else None

    @property
    def average_wait_s(self) -> float | None:
        return round(self.wait_s / self.answered, 1) if self.answered else None

    @property
    def average_abandon_s(self) -> float | None:
        return round(self.abandoned_wait_s / self.abandoned, 1) if self.abandoned else None


@dataclass
class DayReport:
    day: date
    hours: list[Hour]
    agents: list[AgentDay]

    @property
    def total(self) -> Hour:
        total = Hour(hour=-1)
        for h in self.hours:
            for name in ("offered", "answered", "abandoned", "abandoned_wait_s", "timed_out",
                         "answered_in_sl", "wait_s"):
                setattr(total, name, getattr(total, name) + getattr(h, name))
        return total


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


def day_report(*, session: Session, day: date, service_level_s: int = 20) -> DayReport:
    """Offered, answered, abandoned (and after how long), timed out, service level and waits per
    hour of `day` (India time; a call counts in the hour it joined the queue), and per agent the
    calls handled, talk time and pauses by reason."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=IST)
    events = list(session.scalars(select(QueueEvent).where(
        QueueEvent.at >= start.astimezone(UTC), QueueEvent.at < (start + timedelta(days=1)).astimezone(UTC))
        .order_by(QueueEvent.at, QueueEvent.id)))
    hours = [Hour(hour=h) for h in range(24)]
    agents: dict[str, AgentDay] = {}
    paused_since: dict[str, tuple[datetime, str]] = {}
    entered = {e.callid: e.at.astimezone(IST).hour for e in events if e.event == "ENTERQUEUE"}
    for e in events:
        # A call counts in the hour it was offered, whenever it was answered or given up.
        hour = hours[entered.get(e.callid, e.at.astimezone(IST).hour)]
        if e.event == "ENTERQUEUE":
            hour.offered += 1
        elif e.event == "CONNECT":
            hour.answered += 1
            hour.wait_s += _int(e.field(0))
            hour.answered_in_sl += _int(e.field(0)) <= service_level_s
        elif e.event == "ABANDON":
            hour.abandoned += 1
            hour.abandoned_wait_s += _int(e.field(2))
        elif e.event in ("EXITWITHTIMEOUT", "EXITEMPTY"):
            hour.timed_out += 1
        elif e.event in ("COMPLETECALLER", "COMPLETEAGENT"):
            agent = agents.setdefault(e.agent, AgentDay(agent=e.agent))
            agent.handled += 1
            agent.talk_s += _int(e.field(1))
        elif e.event == "PAUSE":
            paused_since[e.agent] = (e.at, e.field(0) or "-")
        elif e.event in ("UNPAUSE", "REMOVEMEMBER") and e.agent in paused_since:
            since, reason = paused_since.pop(e.agent)
            agent = agents.setdefault(e.agent, AgentDay(agent=e.agent))
            agent.pause_s[reason] = agent.pause_s.get(reason, 0) + int((e.at - since).total_seconds())
    return DayReport(day=day, hours=hours, agents=sorted(agents.values(), key=lambda a: a.agent))
