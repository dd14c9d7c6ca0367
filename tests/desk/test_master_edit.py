"""Admins edit departments' nodal officers, assistants and secretaries, and holidays, on screen; the
audit trail keeps logins, failed logins and every change to users and master data."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from sqlalchemy import select

from models.complaints.routing import route
from models.core.db import unit_of_work
from models.people.audit import AuditEvent
from models.reference.departments import Department
from models.reference.holidays import working_calendar
from tests.desk.conftest import csrf_token, post_form


def audit_rows(subject: str) -> list[tuple[str, str, str]]:
    with unit_of_work() as uow:
        return [(r.action, r.actor, r.note) for r in uow.session.scalars(
            select(AuditEvent).where(AuditEvent.subject == subject).order_by(AuditEvent.id))]


def test_logins_and_failed_logins_are_audited(app, login):
    client = app.test_client()
    post_form(client, "/login", "/login", {"username": "supervisor", "password": "not-the-password"})
    login("supervisor")
    rows = audit_rows("user:supervisor")
    assert ("login_failed", "anonymous", "127.0.0.1") in rows and rows[-1][:2] == ("login", "user:supervisor")
    page = login("admin").get("/admin/manage/audit?subject=user:supervisor")
    assert page.status_code == 200 and 'data-action="login_failed"' in page.text
    assert login("supervisor").get("/admin/manage/audit").status_code == 403


def test_a_user_added_by_the_admin_is_audited_with_who_did_it(login):
    name = f"agent-{uuid.uuid4().hex[:6]}"
    admin = login("admin")
    assert post_form(admin, "/admin/users", "/admin/users",
                     {"username": name, "password": "long-enough-1", "role": "agent"}).status_code in (200, 302)
    [(action, actor, note)] = audit_rows(f"user:{name}")
    assert (action, actor) == ("user_created", "user:admin") and "password_hash: changed" in note
    assert "$argon2" not in note


def test_the_admin_names_a_departments_nodal_officer_assistants_and_secretary(login):
    admin = login("admin")
    url = "/admin/manage/departments/REV"
    assert 'data-department="REV"' in admin.get("/admin/manage/departments").text
    assert login("nodal.rev").get(url).status_code == 403
    bad = post_form(admin, url, url, {"nodal_officer": "REV-NODAL", "secretary": "REV-L3",
                                      "assistant_nodal_officers": ["REV-ANODAL-1"]})
    assert bad.status_code == 400 and 'data-field="secretary"' in bad.text
    other = post_form(admin, url, url, {"nodal_officer": "PWD-NODAL", "secretary": "REV-L4"})
    assert other.status_code == 400 and 'data-field="nodal_officer"' in other.text
    try:
        saved = post_form(admin, url, url, {"nodal_officer": "REV-ANODAL-1", "secretary": "REV-L4",
                                            "assistant_nodal_officers": ["REV-NODAL", "REV-ANODAL-2"]})
        assert saved.status_code == 302
        with unit_of_work() as uow:
            rev = uow.session.get(Department, "REV")
            assert rev.nodal_officer.code == "REV-ANODAL-1"
            assert {o.code for o in rev.assistant_nodal_officers} == {"REV-NODAL", "REV-ANODAL-2"}
        action, actor, note = audit_rows("department:REV")[-1]
        assert (action, actor) == ("department_changed", "user:admin") and "REV-ANODAL-1" in note
    finally:
        restored = post_form(admin, url, url, {"nodal_officer": "REV-NODAL", "secretary": "REV-L4",
                                               "assistant_nodal_officers": ["REV-ANODAL-1", "REV-ANODAL-2"]})
        assert restored.status_code == 302


def test_a_holiday_added_on_screen_moves_due_times_and_can_be_removed(login):
    admin = login("admin")
    day = date(2027, 2, 3)  # a Wednesday with no gazetted holiday
    start = datetime(2027, 2, 1, 5, 0, tzinfo=timezone.utc)  # Monday 1 Feb, India time 10:30

    def due():
        with unit_of_work() as uow:
            return route(session=uow.session, category_code="REV-MUT", district_code="KRB", start=start).due_at

    before = due()
    page = admin.get("/admin/manage/holidays")
    assert 'data-day="2026-03-04"' in page.text  # the gazetted Holi, from the file
    added = admin.post("/admin/manage/holidays", data={"day": day.isoformat(), "name": "स्थानीय अवकाश",
                                                       "csrf_token": csrf_token(page.text)})
    try:
        assert added.status_code == 302
        with unit_of_work() as uow:
            assert day in working_calendar(session=uow.session).holidays
        assert (due() - before).days == 1, "one working day later"
        again = post_form(admin, "/admin/manage/holidays", "/admin/manage/holidays",
                          {"day": day.isoformat(), "name": "फिर से"})
        assert again.status_code == 400 and 'data-field="day"' in again.text
        assert post_form(admin, "/admin/manage/holidays", "/admin/manage/holidays",
                         {"day": "", "name": "x"}).status_code == 400
        assert audit_rows(f"holiday:{day.isoformat()}")[0][:2] == ("holiday_created", "user:admin")
    finally:
        removed = post_form(admin, "/admin/manage/holidays", f"/admin/manage/holidays/{day.isoformat()}/remove", {})
        assert removed.status_code == 302
    assert due() == before
    assert post_form(admin, "/admin/manage/holidays", "/admin/manage/holidays/2026-03-04/remove", {}).status_code == 404
