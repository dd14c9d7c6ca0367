"""Actors for the officers' workflow tests: demo users, or any demo officer by its code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from models.complaints.intake import ComplaintInput
from models.complaints.jurisdiction import Actor, actor_for
from models.complaints.service import register
from models.people.officers import Officer
from models.people.users import Role, User
from models.reference.calendar import IST
from tests.factories import next_mobile


def user_actor(session, username: str, channel: str = "test") -> Actor:
    """The Actor of a demo user (tehsildar.abhanpur, collector.raipur, nodal.rev, ...)."""
    user = session.scalars(select(User).where(User.username == username)).one()
    return actor_for(session=session, user=user, channel=channel)


def officer_actor(session, code: str, role: Role = Role.OFFICER) -> Actor:
    """The Actor of a demo officer by code (REV-L3, PWD-NODAL, ...) as a user of `role`."""
    officer = session.scalars(select(Officer).where(Officer.code == code)).one()
    return Actor(name=f"user:{code.lower()}", role=role, channel="test", officer_id=officer.id,
                 level=officer.level, department_code=officer.department_code,
                 district_code=officer.district_code)


def helpline(role: Role = Role.AGENT) -> Actor:
    return Actor(name="user:agent1", role=role, channel="test")


def ist(text: str) -> datetime:
    """A moment written in India time, e.g. ist('2026-02-23 10:00')."""
    return datetime.fromisoformat(text).replace(tzinfo=IST)


def complaint_at(session, at: datetime, category: str = "REV-MUT", **overrides):
    """A complaint registered at `at` in Abhanpur (Raipur), assigned to its L1 officer."""
    fields = dict(mobile=next_mobile(), description="नामांतरण का आवेदन लंबित है, कृपया कार्रवाई करें",
                  channel="portal", citizen_name="सुनीता वर्मा", district_code="RPR",
                  block="RPR-ABH", category_code=category)
    fields.update(overrides)
    return register(session=session, data=ComplaintInput(**fields), actor="test", at=at)
