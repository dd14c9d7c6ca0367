"""Complaint search for the desk: by ID, mobile, name, district, status, dates and Hindi words."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.complaint_id import InvalidComplaintId, parse
from models.complaints.intake import InvalidField, normalise_mobile
from models.complaints.status import ComplaintStatus
from models.reference.calendar import IST


@dataclass
class Query:
    text: str = ""
    mobile: str = ""
    name: str = ""
    district: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    department: str = ""  # a nodal officer's or secretary's search stays within their department


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), IST).astimezone(timezone.utc)


def words(text: str) -> list[str]:
    """The words of a query, NFC-normalised so Devanagari typed any way matches what is stored."""
    return unicodedata.normalize("NFC", text).split()


def find(*, session: Session, query: Query, page: int = 1, per_page: int = 50) -> tuple[list[Complaint], int]:
    """A page of matching complaints (newest first) and the total; a complaint ID matches only itself."""
    text = query.text.strip()
    try:
        public_id = parse(text) if text and sum(ch.isdigit() for ch in text) == 10 else None
    except InvalidComplaintId:
        public_id = None
    stmt = select(Complaint).where(Complaint.status != ComplaintStatus.DRAFT)
    if public_id:
        stmt = select(Complaint).where(Complaint.public_id == public_id)
    else:
        for word in words(text):
            pattern = f"%{word}%"
            stmt = stmt.where(or_(Complaint.description.ilike(pattern), Complaint.citizen_name.ilike(pattern),
                                  Complaint.transcript.ilike(pattern), Complaint.address.ilike(pattern)))
    if query.mobile.strip():
        stmt = stmt.where(Complaint.mobile == normalise_mobile(query.mobile))
    for word in words(query.name):
        stmt = stmt.where(Complaint.citizen_name.ilike(f"%{word}%"))
    if query.district:
        stmt = stmt.where(Complaint.district_code == query.district.upper())
    if query.department:
        stmt = stmt.where(Complaint.department_code == query.department)
    if query.status:
        try:
            stmt = stmt.where(Complaint.status == ComplaintStatus(query.status))
        except ValueError:
            raise InvalidField("status", f"unknown status {query.status!r}", code="unknown") from None
    if query.date_from:
        stmt = stmt.where(Complaint.created_at >= _start_of(query.date_from))
    if query.date_to:
        stmt = stmt.where(Complaint.created_at < _start_of(query.date_to + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Complaint.created_at.desc(), Complaint.id.desc())
                           .limit(per_page).offset((page - 1) * per_page))
    return list(rows), total
