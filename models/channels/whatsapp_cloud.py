"""Where a WhatsApp reply goes: the Cloud API over HTTP when HELPLINE_WHATSAPP_TOKEN and
_PHONE_NUMBER_ID are set (which also fetches the photos citizens send), else the SMS outbox, so the
citizen still hears back."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from sqlalchemy.orm import Session

from models.channels.whatsapp_messages import WhatsAppMessage
from models.complaints.intake import InvalidField, normalise_mobile
from models.core.settings import Settings
from models.notifications.outbox import queue_sms

log = logging.getLogger(__name__)
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
