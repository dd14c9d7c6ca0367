"""Jandarshan: the CM's and the Collectors' public hearings, and the applications handed in there."""

from __future__ import annotations

import enum
import logging
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.complaints.complaint import Channel, Complaint
from models.complaints.intake import ComplaintInput, InvalidField, clean_text
from models.complaints.service import register
from models.core.base import Base, utcnow
from models.people.users import Role

log = logging.getLogger(__name__)


class HearingKind(str, enum.Enum):
    CM = "cm"                # मुख्यमंत्री जनदर्शन
    COLLECTOR = "collector"  # कलेक्टर जनदर्शन, one per district

    @property
    def channel(self) -> Channel:
        return Channel.CM_JANDARSHAN if self is HearingKind.CM else Channel.COLLECTOR_JANDARSHAN


class Hearing(Base):
    __tablename__ = "hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[HearingKind]
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), default=None, index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(160))
    presiding_authority: Mapped[str] = mapped_column(String(160))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district = relationship("District")


class NotYourHearing(PermissionError):
    """A Jandarshan operator may work only on their district's hearings and the CM's."""


def may_operate(user, hearing: Hearing) -> bool:
    """Whether `user` (anything with role and district_code) may work on `hearing`."""
    if Role(user.role) is Role.ADMIN:
        return True
    if Role(user.role) is not Role.JANDARSHAN_OPERATOR:
        return False
    return hearing.kind is HearingKind.CM or hearing.district_code == user.district_code


def create_hearing(*, session: Session, user, kind: HearingKind | str, held_on: date, place: str,
                   presiding_authority: str, district_code: str | None = None) -> Hearing:
    """A new hearing; a Collector's hearing needs its district; the place and the presiding
    authority are text as stored (models/core/text.py), InvalidField naming a missing or too long one."""
    try:
        kind = HearingKind(kind)
    except ValueError:
        raise InvalidField("kind", f"unknown kind of hearing {kind!r}", code="unknown") from None
    district_code = (district_code or "").strip().upper() or None
    if kind is HearingKind.COLLECTOR and not district_code:
        raise InvalidField("district_code", "a Collector's Jandarshan belongs to a district",
                           code="required")
    place = clean_text(place, field="place", max_length=Hearing.place.type.length, min_length=1)
    presiding_authority = clean_text(presiding_authority, field="presiding_authority",
                                     max_length=Hearing.presiding_authority.type.length, min_length=1)
    hearing = Hearing(kind=kind, district_code=district_code if kind is HearingKind.COLLECTOR else None,
                      held_on=held_on, place=place, presiding_authority=presiding_authority,
                      created_by=user.username)
    if not may_operate(user, hearing):
        raise NotYourHearing(f"{user.username} may not hold hearings of district {district_code}")
    session.add(hearing)
    session.flush()
    return hearing


def hearings_for(*, session: Session, user, limit: int = 200) -> list[Hearing]:
    """The hearings `user` may work on, latest first."""
    query = select(Hearing)
    if Role(user.role) is not Role.ADMIN:
        query = query.where(or_(Hearing.kind == HearingKind.CM,
                                Hearing.district_code == user.district_code))
    return list(session.scalars(query.order_by(Hearing.held_on.desc(), Hearing.id.desc()).limit(limit)))


def get_hearing(*, session: Session, hearing_id: int) -> Hearing | None:
    return session.get(Hearing, hearing_id)


def application_input(hearing: Hearing, **fields) -> ComplaintInput:
    """A complaint input for an application at `hearing` (a Collector's defaults to its district)."""
    fields.setdefault("district_code", None)
    if not fields["district_code"] and hearing.kind is HearingKind.COLLECTOR:
        fields["district_code"] = hearing.district_code
    return ComplaintInput(channel=hearing.kind.channel, hearing_id=hearing.id, **fields)


def add_application(*, session: Session, hearing: Hearing, actor: str, **fields) -> Complaint:
    """Register one application of the hearing as a complaint, routed like any other."""
    return register(session=session, data=application_input(hearing, **fields), actor=actor, sms=True)


def applications_of(*, session: Session, hearing: Hearing, limit: int = 500) -> list[Complaint]:
    return list(session.scalars(select(Complaint).where(Complaint.hearing_id == hearing.id)
                                .order_by(Complaint.id.desc()).limit(limit)))


def count_applications(*, session: Session, hearing: Hearing) -> int:
    return session.scalar(select(func.count()).select_from(Complaint)
                          .where(Complaint.hearing_id == hearing.id)) or 0
