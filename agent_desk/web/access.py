"""Who is logged in, the decorator every desk route carries to say which roles may use it, and
the role sets those routes (and so the menu) share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from agent_desk import db
from agent_desk.web.extensions import login_manager
from models.people.users import Role, User, get_user


@dataclass(frozen=True)
class DeskUser:
    """A snapshot of the logged-in user, safe to keep after the request's session closes."""

    id: int
    username: str
    full_name: str
    role: Role
    officer_id: int | None
    department_code: str | None
    district_code: str | None
    phone_interface: str | None
    language: str

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def actor(self) -> str:
        """How the history names this user."""
        return f"user:{self.username}"

    @classmethod
    def of(cls, user: User) -> "DeskUser":
        return cls(id=user.id, username=user.username, full_name=user.full_name, role=user.role,
                   officer_id=user.officer_id, department_code=user.department_code,
                   district_code=user.district_code, phone_interface=user.phone_interface,
                   language=user.language)


@login_manager.user_loader
def load_user(user_id: str) -> DeskUser | None:
    user = get_user(session=db.session(), user_id=int(user_id)) if user_id.isdigit() else None
    return DeskUser.of(user) if user is not None and user.active else None


def roles_required(*roles: Role):
    """Let only logged-in users with one of `roles` through; everyone else gets the 403 page."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        wrapped.allowed_roles = allowed
        return wrapped
    return decorator


def may_open(endpoint: str, role: Role) -> bool:
    """Whether `role` gets past the roles_required guard of the route `endpoint`."""
    view = current_app.view_functions.get(endpoint)
    return role in getattr(view, "allowed_roles", ())


AGENTS = (Role.AGENT, Role.SUPERVISOR)
READERS = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.NODAL_OFFICER, Role.SECRETARY)
OFFICERS = (Role.OFFICER, Role.NODAL_OFFICER, Role.SECRETARY)
SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)
JANDARSHAN = (Role.JANDARSHAN_OPERATOR, Role.ADMIN)
ADMINS = (Role.ADMIN,)
# Reports: models/reports/access.py narrows each to their department (L2: district, L1: their own).
REPORTERS = (Role.OFFICER, Role.NODAL_OFFICER, Role.SECRETARY, Role.GOOD_GOVERNANCE, Role.ADMIN)
