"""Photos and documents citizens send on WhatsApp for their complaints: fetched from the Cloud API
by the worker and stored as the complaint's attachments (only with the Cloud API configured)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.channels import citizen
from models.channels.whatsapp_cloud import CloudApi, Refused, adapter_from_settings
from models.channels.whatsapp_messages import Direction, WhatsAppMessage
from models.channels.whatsapp_sender import claim, one_by_one
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField
from models.complaints.notes import Upload
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import Settings, get_settings

log = logging.getLogger(__name__)
MEDIA_KINDS = ("image", "document")


def store_one_media(*, session: Session, message_id: int, now: datetime, api: CloudApi,
                    settings: Settings) -> bool | None:
    """Fetch one inbound photo or document and store it on its complaint; True when stored, False
    when refused (counted), None when another worker has it or it is done."""
    message = claim(session, message_id)
    if message is None or message.media_stored_at is not None:
        return None
    complaint = session.get(Complaint, message.complaint_id)
    message.attempts += 1
    message.last_attempt_at = now
    try:
        data, mime = api.fetch_media(message.body, limit=settings.attachment_max_bytes)
        name = f"whatsapp-{message.body}.{mime.rsplit('/', 1)[-1] or 'bin'}"
        checked = citizen.check_files([Upload(filename=name, data=data)], settings)
    except (Refused, InvalidField) as exc:
        message.last_error = str(exc)
        log.warning("WhatsApp media %s of %s not stored (try %d): %s", message.body,
                    complaint.public_id, message.attempts, exc)
        return False
    citizen.attach(session=session, complaint=complaint, actor=f"whatsapp:{message.wa_id}",
                   checked=checked, settings=settings)
    message.media_stored_at = now
    return True


def fetch_whatsapp_media(*, database: Database | None = None, now: datetime | None = None,
                         api: CloudApi | None = None, settings: Settings | None = None,
                         batch: int = 20) -> int:
    """Store the photos and documents citizens sent for their complaints (only with the Cloud API
    configured: without its token the files cannot be fetched); returns how many were tried."""
    settings = settings or get_settings()
    if api is None:
        adapter = adapter_from_settings(settings)
        if not isinstance(adapter, CloudApi):
            return 0
        api = adapter
    database = database or default_database()
    now = now or utcnow()
    with database.unit_of_work() as uow:
        ids = list(uow.session.scalars(
            select(WhatsAppMessage.id).where(
                WhatsAppMessage.direction == Direction.IN, WhatsAppMessage.kind.in_(MEDIA_KINDS),
                WhatsAppMessage.complaint_id.is_not(None), WhatsAppMessage.media_stored_at.is_(None),
                WhatsAppMessage.attempts < settings.sms_max_attempts)
            .order_by(WhatsAppMessage.id).limit(batch)))
    return one_by_one(database, ids, lambda session, message_id: store_one_media(
        session=session, message_id=message_id, now=now, api=api, settings=settings), "storing the media")
