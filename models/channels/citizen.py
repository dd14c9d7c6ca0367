"""A complaint lodged by the citizen (portal, WhatsApp) or another system (Open311): registered
through the complaints service, with the registration SMS, the citizen's photos or documents and
where the problem is."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints import service as complaints
from models.complaints.complaint import Complaint
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.notes import Attachment, Upload, _checked
from models.complaints.similar import Similar, find_similar
from models.core.base import Base
from models.core.settings import Settings, get_settings

log = logging.getLogger(__name__)


class ComplaintLocation(Base):
    """Where the problem is, as the citizen's phone or the other system gave it."""

    __tablename__ = "complaint_locations"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    lat: Mapped[float]
    long: Mapped[float]


@dataclass(frozen=True)
class Location:
    lat: float
    long: float

    @classmethod
    def parse(cls, lat: str | float | None, long: str | float | None) -> Location | None:
        """A location from two texts or numbers (both empty: None); InvalidField names the bad one."""
        if lat in (None, "") and long in (None, ""):
            return None
        values = {}
        for name, raw, bound in (("lat", lat, 90), ("long", long, 180)):
            try:
                value = float(raw)
            except (TypeError, ValueError):
                raise InvalidField(name, f"{raw!r} is not a number of degrees") from None
            if not -bound <= value <= bound:
                raise InvalidField(name, f"must be between -{bound} and {bound}", code="invalid")
            values[name] = value
        return cls(**values)


def possible_duplicates(*, session: Session, data: ComplaintInput) -> list[Similar]:
    """Open complaints of the same mobile, or of the same place and category with similar words."""
    return find_similar(session=session, mobile=data.mobile, district_code=data.district_code,
                        category_code=data.category_code, description=data.description)


def check_files(uploads: list[Upload], settings: Settings | None = None) -> list[tuple[Upload, str, str]]:
    """Each file with its content type and extension: JPEG, PNG or PDF by its first bytes, at most
    the attachment size cap; InvalidField("attachments") otherwise."""
    return _checked(list(uploads), (settings or get_settings()).attachment_max_bytes)


def lodge(*, session: Session, data: ComplaintInput, actor: str, uploads: list[Upload] = (),
          location: Location | None = None, settings: Settings | None = None,
          at: datetime | None = None) -> Complaint:
    """Register the complaint, store its files (JPEG/PNG/PDF by their first bytes, size-capped) and
    location, and queue the citizen's SMS. InvalidField names a bad field; nothing is kept then."""
    settings = settings or get_settings()
    checked = check_files(uploads, settings)  # before anything is written
    complaint = complaints.register(session=session, data=data, actor=actor, at=at, sms=True)
    if location is not None:
        session.add(ComplaintLocation(complaint_id=complaint.id, lat=location.lat, long=location.long))
    if checked:
        attach(session=session, complaint=complaint, actor=actor, checked=checked, settings=settings, at=at)
    session.flush()
    log.info("%s lodged %s on %s", actor, complaint.public_id, complaint.channel.value)
    return complaint


def attach(*, session: Session, complaint: Complaint, actor: str, checked: list[tuple[Upload, str, str]],
           settings: Settings, at: datetime | None = None) -> list[Attachment]:
    """Store the citizen's checked files (see check_files) on the complaint, under one history row."""
    event = complaints.record(session=session, complaint=complaint, actor=actor,
                              channel=complaint.channel.value, action="citizen_files",
                              note=", ".join(upload.filename for upload, _, _ in checked), at=at)
    folder = Path(settings.attachments_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stored = []
    for upload, content_type, extension in checked:
        name = f"{complaint.public_id}-{secrets.token_hex(12)}.{extension}"
        (folder / name).write_bytes(upload.data)
        stored.append(Attachment(complaint_id=complaint.id, event_id=event.id,
                                 filename=upload.display_name(name),
                                 content_type=content_type, size=len(upload.data),
                                 sha256=hashlib.sha256(upload.data).hexdigest(), stored_name=name,
                                 uploaded_by=actor, created_at=event.at))
    session.add_all(stored)
    session.flush()
    return stored


def location_of(*, session: Session, complaint: Complaint) -> ComplaintLocation | None:
    return session.get(ComplaintLocation, complaint.id)


def locations_of(*, session: Session, complaint_ids: list[int]) -> dict[int, ComplaintLocation]:
    rows = session.scalars(select(ComplaintLocation)
                           .where(ComplaintLocation.complaint_id.in_(complaint_ids or [0])))
    return {row.complaint_id: row for row in rows}
