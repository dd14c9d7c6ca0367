"""Who acts, and what they may see: each officer's jurisdiction over complaints.

L1 sees what is assigned to them; L2 the complaints of their district and department; L3 the
department state-wide; the secretary (L4), the nodal and assistant nodal officers the whole
department. Call-centre staff and admins see every complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_, true
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.people.officers import Officer
from models.people.users import Role

HELPLINE_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
OVERSEERS = frozenset({Role.NODAL_OFFICER, Role.SECRETARY})


class NotAllowed(Exception):
    """This user may not take this step on this complaint."""

    code = "not_allowed"


@dataclass(frozen=True)
class Actor:
    """Who takes a step: the history's name for them, their role, and the officer they are."""

    name: str            # "user:tehsildar.abhanpur", "api:dept-system"
    role: Role
    channel: str         # "desk", "api"
    officer_id: int | None = None
    level: int | None = None
    department_code: str | None = None
    district_code: str | None = None

    @property
    def oversees_department(self) -> bool:
        return self.role in OVERSEERS and bool(self.department_code)


def actor_for(*, session: Session, user, channel: str = "desk", name: str | None = None) -> Actor:
    """The Actor for `user` (anything with username, role, officer_id, department_code)."""
    officer = session.get(Officer, user.officer_id) if user.officer_id else None
    return Actor(name=name or f"user:{user.username}", role=Role(user.role), channel=channel,
                 officer_id=officer.id if officer else None, level=officer.level if officer else None,
                 department_code=user.department_code or (officer.department_code if officer else None),
                 district_code=officer.district_code if officer else getattr(user, "district_code", None))


def holds(actor: Actor, complaint: Complaint) -> bool:
    """The complaint is with this officer now."""
    return actor.officer_id is not None and complaint.officer_id == actor.officer_id


def oversees(actor: Actor, complaint: Complaint) -> bool:
    """The nodal officer (or an assistant) or the secretary of the complaint's department."""
    return actor.oversees_department and complaint.department_code == actor.department_code


def scope_parts(actor: Actor) -> list:
    """The SQL conditions whose OR is what `actor` may see: the complaints they hold, and those of
    their jurisdiction (each part has its own index by due time)."""
    if actor.role in HELPLINE_ROLES:
        return [true()]
    own = Complaint.officer_id == actor.officer_id if actor.officer_id else false()
    if actor.oversees_department or (actor.level or 0) >= 3:
        return [own, Complaint.department_code == actor.department_code]
    if actor.level == 2:
        return [own, and_(Complaint.department_code == actor.department_code,
                          Complaint.district_code == actor.district_code)]
    return [own]


def scope(actor: Actor):
    """The SQL condition for the complaints `actor` may see."""
    parts = scope_parts(actor)
    return parts[0] if len(parts) == 1 else or_(*parts)


def may_see(actor: Actor, complaint: Complaint) -> bool:
    """Whether the complaint is within `actor`'s jurisdiction (or theirs to hold)."""
    if actor.role in HELPLINE_ROLES or holds(actor, complaint) or oversees(actor, complaint):
        return True
    if (actor.level or 0) >= 3:
        return complaint.department_code == actor.department_code
    if actor.level == 2:
        return (complaint.department_code == actor.department_code
                and complaint.district_code == actor.district_code)
    return False


def require(allowed: bool, what: str) -> None:
    """Raise NotAllowed(`what`) unless `allowed`."""
    if not allowed:
        raise NotAllowed(what)


def token_actor(*, session: Session, token: str) -> Actor | None:
    """Who a bearer token acts as: an officer token as its officer's user (channel `api`), an `api`
    token as an admin; None for an unknown, revoked or other token."""
    from models.people.tokens import TokenScope, token_row
    from models.people.users import get_user

    row = token_row(session=session, token=token)
    if row is None:
        return None
    if row.scope is TokenScope.API:
        return Actor(name=f"api:{row.name}", role=Role.ADMIN, channel="api")
    if row.scope is TokenScope.OFFICER and row.user_id is not None:
        user = get_user(session=session, user_id=row.user_id)
        if user is not None and user.active:
            return actor_for(session=session, user=user, channel="api")
    return None
