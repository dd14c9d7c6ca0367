"""Complaint IDs are never handed out twice, also by concurrent writers."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from sqlalchemy import delete

from models.complaints import complaint_id
from models.complaints.complaint import ComplaintSequence
from models.complaints.id_allocation import allocate
from models.core.db import new_session, unit_of_work


def _allocate_many(year: int, count: int) -> list[str]:
    at = datetime(year, 6, 1, tzinfo=timezone.utc)
    ids = []
    for _ in range(count):
        with unit_of_work() as uow:
            ids.append(allocate(session=uow.session, at=at))
            uow.commit()
    return ids


def _concurrent(engine, year: int, writers: int, per_writer: int) -> list[str]:
    with new_session() as s:
        s.execute(delete(ComplaintSequence).where(ComplaintSequence.year == year))
        s.commit()
    with ThreadPoolExecutor(writers) as pool:
        chunks = list(pool.map(lambda _: _allocate_many(year, per_writer), range(writers)))
    return [i for chunk in chunks for i in chunk]


def test_ten_thousand_ids_from_eight_writers_are_distinct(engine, backend):
    # 8 writers x 1,250 on PostgreSQL (the figure); SQLite serialises writers, fewer suffice.
    per_writer = 1250 if backend == "postgresql" else 150
    ids = _concurrent(engine, 2091, writers=8, per_writer=per_writer)
    assert len(ids) == 8 * per_writer
    assert len(set(ids)) == len(ids)
    assert all(complaint_id.is_valid(i) for i in ids)
    assert all(i.startswith("91") for i in ids)
    assert sorted(int(i[2:9]) for i in ids) == list(range(1, len(ids) + 1))


def test_rolled_back_number_is_reused_not_duplicated(engine):
    year = 2092
    with new_session() as s:
        s.execute(delete(ComplaintSequence).where(ComplaintSequence.year == year))
        s.commit()
    at = datetime(year, 1, 10, tzinfo=timezone.utc)
    with unit_of_work() as uow:
        first = allocate(session=uow.session, at=at)
        # not committed: rolled back on leaving the block
    with unit_of_work() as uow:
        again = allocate(session=uow.session, at=at)
        uow.commit()
    assert first == again == complaint_id.make(year, 1)


def test_year_follows_india_time(engine):
    # 31 Dec 2093 20:00 UTC is already 1 Jan 2094 in India.
    with unit_of_work() as uow:
        public_id = allocate(session=uow.session, at=datetime(2093, 12, 31, 20, tzinfo=timezone.utc))
    assert public_id.startswith("94")
