"""Users of the desk and their roles; passwords hashed with argon2."""

from __future__ import annotations

import enum
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.complaints.intake import clean_text
from models.core.base import Base, utcnow

_hasher = PasswordHasher()


class Role(str, enum.Enum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    OFFICER = "officer"
    NODAL_OFFICER = "nodal_officer"
    SECRETARY = "secretary"
    JANDARSHAN_OPERATOR = "jandarshan_operator"
    ADMIN = "admin"
    GOOD_GOVERNANCE = "good_governance"  # the state's Good Governance department: every report


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), default=None)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), default=None)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), default=None)
    phone_interface: Mapped[str | None] = mapped_column(String(80), default=None)  # e.g. PJSIP/agent1
    language: Mapped[str] = mapped_column(String(2), default="hi")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    officer = relationship("Officer")

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


class UserExists(Exception):
    """A user with that login name already exists."""

    code = "user_exists"


MIN_PASSWORD = 8


class WeakPassword(ValueError):
    """The password is shorter than `limit` characters."""

    code = "weak_password"
    limit = MIN_PASSWORD


class UnknownRole(ValueError):
    """The role is not one of Role's values."""

    code = "unknown_role"


class GuessablePassword(WeakPassword):
    """The password is the login name or one of the passwords tried first by anyone guessing."""

    code = "guessable_password"


# The first guesses of anyone trying logins (kept short: length is the main rule).
GUESSED_FIRST = frozenset({
    "password", "password1", "password@1", "password@123", "passw0rd", "12345678", "123456789",
    "1234567890", "87654321", "11111111", "00000000", "abcd1234", "abc12345", "qwerty12", "qwerty123",
    "qwertyuiop", "iloveyou", "welcome1", "welcome@1", "admin123", "admin@123", "india123", "india@123",
    "helpline", "helpline1", "helpline@1", "helpline@123", "chhattisgarh", "raipur123", "raipur@123",
})


def hash_password(password: str, *, username: str = "") -> str:
    """The argon2 hash of a password that meets the policy: at least 8 characters, neither the
    login name nor one of the first guesses."""
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"password must have at least {MIN_PASSWORD} characters")
    if password.lower() in GUESSED_FIRST or (username and password.lower() == username.lower()):
        raise GuessablePassword("password is the login name or too easy to guess")
    return _hasher.hash(password)


def add_user(*, session: Session, username: str, password: str, role: Role | str,
             full_name: str = "", **fields) -> User:
    """A new user with an argon2 password hash; the login name, full name and phone interface are
    text as stored (models/core/text.py), InvalidField naming a missing or too long one."""
    username = clean_text(username, field="username", max_length=User.username.type.length, min_length=1)
    full_name = clean_text(full_name, field="full_name", max_length=User.full_name.type.length)
    if fields.get("phone_interface"):
        fields["phone_interface"] = clean_text(fields["phone_interface"], field="phone_interface",
                                               max_length=User.phone_interface.type.length) or None
    if session.scalars(select(User).where(User.username == username)).first():
        raise UserExists(f"user {username!r} already exists")
    try:
        role = Role(role)
    except ValueError:
        raise UnknownRole(f"unknown role {role!r}") from None
    user = User(username=username, password_hash=hash_password(password, username=username), role=role,
                full_name=full_name or username, **fields)
    session.add(user)
    session.flush()
    return user


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def phone_users(*, session: Session) -> dict[str, str]:
    """Phone interface -> username, for every user with a phone."""
    return {iface: name for iface, name in session.execute(
        select(User.phone_interface, User.username).where(User.phone_interface.is_not(None)))}


def find_user(*, session: Session, username: str) -> User | None:
    """The user with this login name, or None."""
    return session.scalars(select(User).where(User.username == username)).first()


def get_user(*, session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


def all_users(*, session: Session) -> list[User]:
    """Every user, active or not, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def users_with_role(*, session: Session, role: Role) -> list[User]:
    """The users of `role`, by username."""
    return list(session.scalars(select(User).where(User.role == role).order_by(User.username)))


def toggle_active(*, session: Session, user: User) -> User:
    """Deactivate an active user (they can no longer log in), or activate an inactive one."""
    user.active = not user.active
    session.flush()
    return user


def set_language(*, session: Session, user_id: int, language: str) -> None:
    """Keep the user's choice of screen language (hi or en) on their account."""
    user = session.get(User, user_id)
    if user is not None and user.language != language:
        user.language = language
        session.flush()
