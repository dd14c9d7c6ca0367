"""Where an SMS goes: a generic HTTP gateway, or the log when no gateway is configured.

The HTTP gateway gets `POST` JSON `{"to", "text", "template_id", "sender"}` with the key as a
bearer token; any 2xx means it took the message. Anything else is a `GatewayError` whose text
(status and the start of the reply, or the network error) becomes the row's last error.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from models.core.settings import Secret, Settings

log = logging.getLogger(__name__)
ERROR_CHARS = 300  # of the gateway's reply kept as the row's last error


@dataclass(frozen=True)
class Sms:
    to: str           # E.164: +91 and the 10-digit mobile number
    text: str
    template_id: str  # the DLT template id ("" when none is configured)
    sender: str       # the DLT sender id
    key: str = ""     # the outbox row, for the gateway's de-duplication (Idempotency-Key)


class GatewayError(Exception):
    """The gateway did not take the message; the text says why, for the outbox's last error."""


class Gateway(Protocol):
    name: str

    def send(self, sms: Sms) -> None:
        """Hand `sms` over, or raise GatewayError."""


class HttpGateway:
    name = "http"

    def __init__(self, url: str, key: Secret | str = "", timeout_s: float = 10):
        self.url, self._key, self.timeout_s = url, key, timeout_s

    def send(self, sms: Sms) -> None:
        body = json.dumps({"to": sms.to, "text": sms.text, "template_id": sms.template_id,
                           "sender": sms.sender}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        if sms.key:
            headers["Idempotency-Key"] = sms.key
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as reply:
                reply.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:ERROR_CHARS]
            raise GatewayError(f"HTTP {exc.code}: {detail}" if detail else f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            # Network errors, a broken reply, or a URL urllib cannot use (no http:// in it).
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"{type(reason).__name__}: {reason}"[:ERROR_CHARS]) from None


class LogGateway:
    """No gateway configured (development): the message is written to the log, not sent."""

    name = "log"

    def send(self, sms: Sms) -> None:
        log.info("SMS (log only, HELPLINE_SMS_URL unset) to %s [%s/%s]: %s",
                 sms.to, sms.sender, sms.template_id or "-", sms.text)


def gateway_from_settings(settings: Settings) -> Gateway:
    """The HTTP gateway when HELPLINE_SMS_URL is set, else the log."""
    if settings.sms_url:
        return HttpGateway(settings.sms_url, settings.sms_key, settings.sms_timeout_s)
    return LogGateway()
