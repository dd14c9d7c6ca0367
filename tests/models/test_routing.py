"""Routing: category and place decide the department and the L1 officer; gaps give clear errors."""

from datetime import datetime, timezone

import pytest

from models.complaints.lifecycle import AlreadyAtTopLevel, escalate
from models.complaints.routing import NoOfficerConfigured, route
from models.people.officers import Officer
from models.reference.places import find_block
from tests.factories import make_complaint

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)


def test_block_complaint_goes_to_that_block_officer(session):
    block = find_block(session=session, district_code="RPR", name_or_code="अभनपुर")
    target = route(session=session, category_code="REV-MUT", district_code="RPR",
                   block_id=block.id, start=NOW)
    assert target.department.code == "REV"
    assert target.officer.block_id == block.id and target.level == 1
    assert "Tehsildar" in target.officer.designation_en


def test_district_without_blocks_uses_district_wide_l1(session):
    target = route(session=session, category_code="UAD-GRB", district_code="KRB", start=NOW)
    assert target.officer.district_code == "KRB" and target.officer.block_id is None


def test_a_block_without_its_own_officer_goes_to_the_district_wide_one(session):
    block = find_block(session=session, district_code="RPR", name_or_code="अभनपुर")
    district_wide = Officer(code="REV-L1-RPR-ALL", name="जिला स्तरीय अधिकारी", designation_en="Naib Tehsildar",
                            designation_hi="नायब तहसीलदार", level=1, department_code="REV", district_code="RPR")
    session.add(district_wide)
    session.flush()
    assert route(session=session, category_code="REV-MUT", district_code="RPR", block_id=block.id,
                 start=NOW).officer.block_id == block.id  # the block's own officer comes first
    for officer in session.query(Officer).filter_by(department_code="REV", level=1, block_id=block.id):
        officer.active = False
    session.flush()
    assert route(session=session, category_code="REV-MUT", district_code="RPR", block_id=block.id,
                 start=NOW).officer is district_wide


def test_missing_officer_is_a_clear_error(session):
    for officer in session.query(Officer).filter_by(department_code="PHE", level=1, district_code="SKM"):
        officer.active = False
    session.flush()
    with pytest.raises(NoOfficerConfigured, match="no L1 officer of department PHE .*district SKM"):
        route(session=session, category_code="PHE-HPM", district_code="SKM", start=NOW)


def test_escalation_climbs_to_the_secretary_and_stops(session):
    complaint = make_complaint(session)
    seen = [complaint.officer.level]
    for _ in range(3):
        escalate(session=session, complaint=complaint)
        seen.append(complaint.officer.level)
    assert seen == [1, 2, 3, 4]
    assert complaint.officer.designation_en.startswith("Secretary")
    with pytest.raises(AlreadyAtTopLevel):
        escalate(session=session, complaint=complaint)
