"""Agents' phones: one PJSIP endpoint per agent. The password is made here, shown once, and kept
only as Asterisk's MD5 digest (`md5_cred`), so neither the database nor Asterisk holds it in clear.

A softphone (any standard SIP phone on UDP) keeps its password until it is issued again; the
desk's browser phone gets a fresh one each time the desk page asks for it."""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.core.base import Base, utcnow
from models.people.users import Role, User

REALM = "helpline"  # the digest realm Asterisk challenges with; part of every md5_cred


class PhoneKind(str, enum.Enum):
    SOFTPHONE = "softphone"  # a SIP phone on UDP (Linphone, Zoiper, a desk phone)
    BROWSER = "browser"      # the desk page's WebRTC phone (WebSocket, DTLS-SRTP, ICE)


class NotAnAgent(ValueError):
    """Only agents and supervisors take calls, so only they get a phone."""

    code = "not_an_agent"


class AgentPhone(Base):
    __tablename__ = "agent_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    endpoint: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[PhoneKind]
    md5_cred: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    provisioned_at: Mapped[datetime | None] = mapped_column(default=None)  # Asterisk took it

    user = relationship("User")

    @property
    def interface(self) -> str:
        return f"PJSIP/{self.endpoint}"


@dataclass(frozen=True)
class IssuedPhone:
    """A phone and its password in clear: shown to the agent once, never stored."""

    phone: AgentPhone
    password: str


PHONE_ROLES = {Role.AGENT, Role.SUPERVISOR}


def endpoint_name(user: User) -> str:
    """`ravi.sahu-7` for user 7, ravi.sahu: the login name's ASCII letters, digits and dots (a SIP
    user part needs no escaping then), and the id, which keeps it unique."""
    ascii_name = re.sub(r"[^a-z0-9.]", "", user.username.lower()).strip(".")[:24]
    return f"{ascii_name or 'agent'}-{user.id}"


def md5_cred(endpoint: str, password: str) -> str:
    """HA1 of RFC 2617 digest authentication, as PJSIP's auth_type=md5 expects it."""
    return hashlib.md5(f"{endpoint}:{REALM}:{password}".encode()).hexdigest()


def issue_phone(*, session: Session, user: User, kind: PhoneKind | str,
                now: datetime | None = None) -> IssuedPhone:
    """Give `user` a phone of `kind`, or a new password for the one they have. The user's queue
    interface becomes the phone (`PJSIP/ravi.sahu-7`)."""
    if user.role not in PHONE_ROLES:
        raise NotAnAgent(f"{user.username} is a {user.role.value}; only agents and supervisors have phones")
    kind = PhoneKind(kind)
    password = secrets.token_urlsafe(12)
    phone = phone_of(session=session, user=user)
    if phone is None:
        phone = AgentPhone(user_id=user.id, endpoint=endpoint_name(user), kind=kind, md5_cred="")
        session.add(phone)
    phone.kind = kind
    phone.md5_cred = md5_cred(phone.endpoint, password)
    phone.issued_at = now or utcnow()
    phone.provisioned_at = None
    user.phone_interface = phone.interface
    session.flush()
    return IssuedPhone(phone=phone, password=password)


def phone_of(*, session: Session, user: User) -> AgentPhone | None:
    return session.scalars(select(AgentPhone).where(AgentPhone.user_id == user.id)).first()


def all_phones(*, session: Session) -> list[AgentPhone]:
    return list(session.scalars(select(AgentPhone).order_by(AgentPhone.endpoint)))


def mark_provisioned(*, session: Session, phone: AgentPhone, now: datetime | None = None) -> None:
    """Asterisk has the phone's current credential."""
    phone.provisioned_at = now or utcnow()
    session.flush()
