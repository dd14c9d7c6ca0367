"""A process keeps routing's reference rows between registrations (models/complaints/kept_routes.py)
and sees every change to them by the next registration, whoever made it: the triggers of migration
0024 move the master data's version on, on SQLite and PostgreSQL. And a registration written by
Core (models/core/rows.py) leaves the complaint, its history and its SMS as the ORM would have."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models.complaints.complaint import Complaint, ComplaintEvent
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.kept_routes import kept_routes
from models.complaints.routing import NoOfficerConfigured
from models.complaints.service import register
from models.core.db import get_engine, unit_of_work
from models.notifications.outbox import OutboxMessage, queue_registration_sms
from models.people.officers import Officer
from models.reference.version import WATCHED, current
from tests.factories import make_complaint, next_mobile


def _elsewhere(sql: str, **params) -> None:
    """A change committed by another writer on its own connection (a script, psql, another desk)."""
    with get_engine().begin() as conn:
        conn.execute(text(sql), params)


@pytest.mark.parametrize("table, change", [
    ("departments", "UPDATE departments SET name_en = name_en WHERE code = 'REV'"),
    ("categories", "UPDATE categories SET name_en = name_en WHERE code = 'REV-MUT'"),
    ("districts", "UPDATE districts SET name_en = name_en WHERE code = 'RPR'"),
    ("blocks", "UPDATE blocks SET name_en = name_en WHERE code = 'RPR-ABH'"),
    ("officers", "UPDATE officers SET name = name WHERE level = 4"),
    ("holidays", "INSERT INTO holidays (day, name) VALUES ('1990-01-01', 'नव वर्ष')"),
])
def test_every_watched_table_moves_the_version_on(engine, table, change):
    assert table in WATCHED
    with unit_of_work() as uow:
        before = current(session=uow.session)
    _elsewhere(change)
    try:
        with unit_of_work() as uow:
            assert current(session=uow.session) > before
    finally:
        _elsewhere("DELETE FROM holidays WHERE day = '1990-01-01'")


def test_an_officer_set_aside_elsewhere_gets_no_more_complaints_from_this_process(engine):
    with unit_of_work() as uow:
        first = make_complaint(uow.session)  # the rows are kept now
        block_officer = first.officer_id
        assert kept_routes(uow.session) is kept_routes(uow.session)
        uow.commit()
    _elsewhere("UPDATE officers SET active = false WHERE id = :id", id=block_officer)
    try:
        with unit_of_work() as uow, pytest.raises(NoOfficerConfigured):
            make_complaint(uow.session)  # the demo has no district-wide L1 officer of revenue in Raipur
    finally:
        _elsewhere("UPDATE officers SET active = true WHERE id = :id", id=block_officer)
    with unit_of_work() as uow:
        assert make_complaint(uow.session).officer_id == block_officer


def test_a_block_added_elsewhere_is_known_at_once_and_an_unknown_one_stays_refused(engine):
    with unit_of_work() as uow, pytest.raises(InvalidField) as refused:
        make_complaint(uow.session, block="RPR-NEW")
    assert refused.value.field == "block"
    _elsewhere("INSERT INTO blocks (code, district_code, kind, name_en, name_hi) "
               "VALUES ('RPR-NEW', 'RPR', 'block', 'Naya Block', 'नया ब्लॉक')")
    try:
        # Known now: the registration gets past the place and asks for the new block's officer.
        with unit_of_work() as uow, pytest.raises(NoOfficerConfigured, match=r"district RPR, block \d+"):
            make_complaint(uow.session, block="नया ब्लॉक")
    finally:
        _elsewhere("DELETE FROM blocks WHERE code = 'RPR-NEW'")


@pytest.mark.parametrize("sms_with_it", [True, False], ids=["sms-in-the-registration", "sms-queued-after"])
def test_a_registration_written_by_core_reads_back_as_the_orm_would_have_written_it(engine, sms_with_it):
    with unit_of_work() as uow:
        if sms_with_it:  # on PostgreSQL the complaint, its history and its SMS are one statement
            complaint = register(session=uow.session, data=ComplaintInput(
                mobile=next_mobile(), description="नामांतरण का आवेदन लंबित है", channel="portal",
                citizen_name="सुनीता वर्मा", district_code="RPR", block="RPR-ABH", category_code="REV-MUT"),
                actor="test", sms=True)
            (sms,) = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.complaint_id == complaint.id))
        else:
            complaint = make_complaint(uow.session)
            sms = queue_registration_sms(session=uow.session, complaint=complaint)
        assert [e.action for e in complaint.history] == ["register", "assign"]  # loaded, no query
        assert sms.id is not None and sms.complaint_id == complaint.id
        kept = {c.key: getattr(complaint, c.key) for c in Complaint.__table__.c}
        uow.commit()
    with unit_of_work() as uow:
        s = uow.session
        stored = s.get(Complaint, complaint.id)
        assert {c.key: getattr(stored, c.key) for c in Complaint.__table__.c} == kept
        assert (stored.status.value, stored.level, stored.transfer_count, stored.reopen_count) == ("assigned", 1, 0, 0)
        assert stored.officer.level == 1 and stored.category.department_code == stored.department_code
        history = s.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
                            .order_by(ComplaintEvent.id)).all()
        assert [(e.action, e.from_status, e.to_status, e.officer_id) for e in history] == [
            ("register", "draft", "registered", None), ("assign", "registered", "assigned", stored.officer_id)]
        message = s.get(OutboxMessage, sms.id)
        assert (message.complaint_id, message.status.value, message.attempts, message.kind) == (
            complaint.id, "queued", 0, "registered")
        assert stored.public_id in message.body


def test_rows_the_caller_loaded_stay_in_its_session(engine):
    """The kept rows are read by a session of their own: a category or officer the caller had
    loaded is not taken out of the caller's session when the routes are read again."""
    from models.reference.departments import Category

    _elsewhere("UPDATE categories SET name_en = name_en WHERE code = 'REV-MUT'")  # the next registration reads again
    with unit_of_work() as uow:
        s = uow.session
        category = s.get(Category, "REV-MUT")
        officer = s.scalars(select(Officer).where(Officer.department_code == "REV", Officer.level == 1,
                                                  Officer.block_id.is_not(None))).first()
        make_complaint(s)
        assert category in s and officer in s
        assert category.department.code == "REV"  # a lazy load: still in the session
