"""What the officer did: action-taken notes with attachments, and interim replies to the citizen.

Attachments are JPEG, PNG or PDF, recognised from their first bytes (never from the name or the
browser's word), at most `attachment_max_bytes` each, stored under the attachments folder
(outside the web root) by a random name, and served only to those who may see the complaint.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints import jurisdiction
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, require
from models.complaints.service import record
from models.complaints.status import check_step
from models.complaints.transfers import required_text
from models.core.base import MAX_ROW_ID, Base, utcnow
from models.core.settings import Settings, get_settings
from models.core.text import normalise_text
from models.notifications.outbox import queue_sms
from models.notifications.templates import SmsEvent, render

SIGNATURES = [  # first bytes -> (content type, extension)
    (b"\xff\xd8\xff", ("image/jpeg", "jpg")),
    (b"\x89PNG\r\n\x1a\n", ("image/png", "png")),
    (b"%PDF-", ("application/pdf", "pdf")),
]
MAX_FILES = 5
MAX_SMS = 300


class Attachment(Base):
    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_events.id"), default=None)
    filename: Mapped[str] = mapped_column(String(200))      # as uploaded, for display only
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(120), unique=True)  # under attachments_dir
    uploaded_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes

    def display_name(self, fallback: str) -> str:
        """The uploaded file's own name (no folders, no control or zero-width characters), for display."""
        return normalise_text(Path(self.filename or "").name)[:200] or fallback


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG or PDF by its first bytes, else None."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def _checked(uploads: list[Upload], limit: int) -> list[tuple[Upload, str, str]]:
    if len(uploads) > MAX_FILES:
        raise InvalidField("attachments", f"at most {MAX_FILES} files", code="too_many", limit=MAX_FILES)
    checked = []
    for upload in uploads:
        if not upload.data:
            raise InvalidField("attachments", f"{upload.filename!r} is empty", code="empty")
        if len(upload.data) > limit:
            raise InvalidField("attachments", f"{upload.filename!r} is larger than {limit} bytes",
                               code="too_large", limit=limit // 1024)
        kind = sniff(upload.data)
        if kind is None:
            raise InvalidField("attachments", f"{upload.filename!r} is not a JPEG, PNG or PDF",
                               code="wrong_file_type")
        checked.append((upload, *kind))
    return checked


def add_note(*, session: Session, complaint: Complaint, actor: Actor, note: str,
             uploads: list[Upload] = (), settings: Settings | None = None,
             at: datetime | None = None) -> list[Attachment]:
    """The officer holding the complaint (or the department's nodal officer or secretary) records
    the action taken, with photos or documents; returns the stored attachments."""
    require(jurisdiction.holds(actor, complaint) or jurisdiction.oversees(actor, complaint),
            "only the officer holding the complaint adds action-taken notes")
    check_step(complaint.status, "note")
    settings = settings or get_settings()
    note = required_text(note, "note")
    checked = _checked(list(uploads), settings.attachment_max_bytes)
    event = record(session=session, complaint=complaint, actor=actor.name, channel=actor.channel,
                   action="note", note=note, at=at)
    folder = Path(settings.attachments_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stored = []
    for upload, content_type, extension in checked:
        name = f"{complaint.public_id}-{secrets.token_hex(12)}.{extension}"
        (folder / name).write_bytes(upload.data)
        attachment = Attachment(complaint_id=complaint.id, event_id=event.id,
                                filename=upload.display_name(name),
                                content_type=content_type, size=len(upload.data),
                                sha256=hashlib.sha256(upload.data).hexdigest(), stored_name=name,
                                uploaded_by=actor.name, created_at=event.at)
        session.add(attachment)
        stored.append(attachment)
    session.flush()
    return stored


def attachments_of(*, session: Session, complaint: Complaint) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.complaint_id == complaint.id)
                                .order_by(Attachment.id)))


def attachment_file(*, session: Session, attachment_id: int, actor: Actor,
                    settings: Settings | None = None) -> tuple[Attachment, Path] | None:
    """The attachment and its file, when `actor` may see its complaint and the file is in the
    attachments folder; None otherwise (the caller answers 404 either way)."""
    attachment = session.get(Attachment, attachment_id) if 0 < attachment_id <= MAX_ROW_ID else None
    if attachment is None:
        return None
    complaint = session.get(Complaint, attachment.complaint_id)
    if complaint is None or not jurisdiction.may_see(actor, complaint):
        return None
    folder = Path((settings or get_settings()).attachments_dir).resolve()
    path = (folder / attachment.stored_name).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return attachment, path


def interim_reply(*, session: Session, complaint: Complaint, actor: Actor, text: str,
                  at: datetime | None = None):
    """The officer holding the complaint tells the citizen where it stands: queued as an SMS."""
    require(jurisdiction.holds(actor, complaint), "only the officer holding the complaint replies")
    check_step(complaint.status, "interim_reply")
    text = required_text(text, "text", minimum=10)
    if len(text) > MAX_SMS:
        raise InvalidField("text", f"at most {MAX_SMS} characters", code="too_long", limit=MAX_SMS)
    language = complaint.language if complaint.language in ("hi", "en") else "hi"
    message = queue_sms(session=session, mobile=complaint.mobile, language=language,
                        kind=SmsEvent.INTERIM_REPLY.value, complaint=complaint,
                        body=render(SmsEvent.INTERIM_REPLY, language, id=complaint.public_id, text=text))
    record(session=session, complaint=complaint, actor=actor.name, channel=actor.channel,
           action="interim_reply", note=text, at=at)
    return message
