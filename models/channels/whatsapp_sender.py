"""The WhatsApp sender: queued replies go out through an adapter, one transaction per message,
with the SMS outbox's rules (back-off doubling from HELPLINE_SMS_BACKOFF_S, dead after
HELPLINE_SMS_MAX_ATTEMPTS, rows another worker holds skipped).

The adapter is the Cloud API over HTTP when HELPLINE_WHATSAPP_TOKEN and _PHONE_NUMBER_ID are set;
otherwise the reply is handed to the SMS outbox, so the citizen still hears back.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.channels import citizen
from models.channels.whatsapp_messages import Delivery, Direction, WhatsAppMessage
from models.complaints.complaint import Complaint
from models.complaints.intake import InvalidField, normalise_mobile
from models.complaints.notes import Upload
from models.core.base import utcnow
from models.core.db import Database, default_database
from models.core.settings import Settings, get_settings
from models.notifications.outbox import queue_sms
from models.notifications.sender import backoff

log = logging.getLogger(__name__)
DUE = (Delivery.QUEUED, Delivery.FAILED)
SMS_KIND = "whatsapp_reply"


class Refused(Exception):
    """The adapter did not take the message; the text says why."""


class Adapter(Protocol):
    name: str

    def send(self, *, session: Session, message: WhatsAppMessage) -> str | None:
        """Hand the message on; the Cloud API's message id when there is one."""


class CloudApi:
    """POST {api_url}/{phone_number_id}/messages with the access token (the Cloud API's format)."""

    name = "cloud_api"

    def __init__(self, settings: Settings):
        self.url = f"{settings.whatsapp_api_url.rstrip('/')}/{settings.whatsapp_phone_number_id}/messages"
        self.token = str(settings.whatsapp_token)
        self.timeout = settings.sms_timeout_s

    def send(self, *, session: Session, message: WhatsAppMessage) -> str | None:
        body = json.dumps({"messaging_product": "whatsapp", "recipient_type": "individual",
                           "to": message.wa_id, "type": "text",
                           "text": {"preview_url": False, "body": message.body}}, ensure_ascii=False)
        request = urllib.request.Request(self.url, data=body.encode(), method="POST", headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise Refused(f"HTTP {exc.code}: {exc.read()[:200].decode('utf-8', 'replace')}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise Refused(f"{type(exc).__name__}: {exc}") from None
        ids = [m.get("id") for m in answer.get("messages", []) if isinstance(m, dict)]
        return ids[0] if ids else None


    def fetch_media(self, media_id: str, *, limit: int) -> tuple[bytes, str]:
        """The bytes and MIME type of an inbound photo or document: its URL from the Graph API,
        then the file (both with the access token); at most `limit` + 1 bytes are read."""
        base = self.url.rsplit("/", 2)[0]
        info = json.loads(self._get(f"{base}/{media_id}", limit=64 * 1024) or b"{}")
        if not info.get("url"):
            raise Refused(f"no URL for media {media_id}")
        return self._get(info["url"], limit=limit + 1), str(info.get("mime_type", ""))

    def _get(self, url: str, *, limit: int) -> bytes:
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(limit)
        except urllib.error.HTTPError as exc:
            raise Refused(f"HTTP {exc.code} for {url}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise Refused(f"{type(exc).__name__}: {exc}") from None


class SmsOutbox:
    """No Cloud API configured: the reply becomes an SMS in the outbox (Indian mobiles only)."""

    name = "sms"

    def send(self, *, session: Session, message: WhatsAppMessage) -> str | None:
        try:
            mobile = normalise_mobile("+" + message.wa_id.lstrip("+"))
        except InvalidField:
            raise Refused(f"{message.wa_id} is not an Indian mobile; no SMS possible") from None
        queue_sms(session=session, mobile=mobile, body=message.body, kind=SMS_KIND,
                  language="hi" if any("\u0900" <= ch <= "\u097f" for ch in message.body) else "en")
        return None


def adapter_from_settings(settings: Settings) -> Adapter:
    if str(settings.whatsapp_token) and settings.whatsapp_phone_number_id:
        return CloudApi(settings)
    return SmsOutbox()


def send_one(*, session: Session, message_id: int, now: datetime, adapter: Adapter,
             settings: Settings) -> Delivery | None:
    """Try one reply; its new status, or None when it is not due or another worker holds it."""
    query = select(WhatsAppMessage).where(WhatsAppMessage.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    message = session.scalars(query).first()
    if message is None or message.status not in DUE or message.next_attempt_at > now:
        return None
    message.attempts += 1
    message.last_attempt_at = now
    try:
        wa_message_id = adapter.send(session=session, message=message)
    except Exception as exc:  # any failure of the adapter is a refused try
        if not isinstance(exc, Refused):
            log.exception("WhatsApp %s: the adapter failed", message.id)
        message.last_error = str(exc) if isinstance(exc, Refused) else f"{type(exc).__name__}: {exc}"
        if message.attempts >= settings.sms_max_attempts:
            message.status, message.dead_at = Delivery.DEAD, now
        else:
            message.status = Delivery.FAILED
            message.next_attempt_at = now + backoff(settings=settings, attempts=message.attempts)
        log.warning("WhatsApp %s refused (try %d): %s", message.id, message.attempts, exc)
        return message.status
    message.status, message.sent_at, message.sent_as = Delivery.SENT, now, adapter.name
    message.wa_message_id = wa_message_id
    return message.status


def send_due_whatsapp(*, database: Database | None = None, now: datetime | None = None,
                      adapter: Adapter | None = None, settings: Settings | None = None,
                      batch: int = 100) -> int:
    """One pass of the sender, each reply in its own transaction; returns how many were tried."""
    database = database or default_database()
    now = now or utcnow()
    settings = settings or get_settings()
    adapter = adapter or adapter_from_settings(settings)
    with database.unit_of_work() as uow:
        ids = list(uow.session.scalars(
            select(WhatsAppMessage.id).where(WhatsAppMessage.direction == Direction.OUT,
                                             WhatsAppMessage.status.in_(DUE),
                                             WhatsAppMessage.next_attempt_at <= now)
            .order_by(WhatsAppMessage.next_attempt_at, WhatsAppMessage.id).limit(batch)))
    tried = 0
    for message_id in ids:
        with database.unit_of_work() as uow:
            try:
                if send_one(session=uow.session, message_id=message_id, now=now, adapter=adapter,
                            settings=settings) is not None:
                    uow.commit()
                    tried += 1
            except Exception:
                log.exception("WhatsApp %s: sending failed", message_id)
    return tried


MEDIA_KINDS = ("image", "document")


def store_one_media(*, session: Session, message_id: int, now: datetime, api: CloudApi,
                    settings: Settings) -> bool | None:
    """Fetch one inbound photo or document and store it on its complaint; True when stored, False
    when refused (counted), None when another worker has it or it is done."""
    query = select(WhatsAppMessage).where(WhatsAppMessage.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    message = session.scalars(query).first()
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
    tried = 0
    for message_id in ids:
        with database.unit_of_work() as uow:
            try:
                if store_one_media(session=uow.session, message_id=message_id, now=now, api=api,
                                   settings=settings) is not None:
                    uow.commit()
                    tried += 1
            except Exception:
                log.exception("WhatsApp media of message %s: storing failed", message_id)
    return tried
