"""Deliveries in the WhatsApp Cloud API's webhook format, signed as Meta signs them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json

from tests.channels.conftest import APP_SECRET

_ids = itertools.count(1)


def text(wa_id: str, body: str, *, name: str = "सुनीता वर्मा", message_id: str | None = None) -> dict:
    return message(wa_id, {"type": "text", "text": {"body": body}}, name=name, message_id=message_id)


def location(wa_id: str, lat: float, long: float) -> dict:
    return message(wa_id, {"type": "location", "location": {"latitude": lat, "longitude": long}})


def image(wa_id: str, media_id: str) -> dict:
    return message(wa_id, {"type": "image", "image": {"id": media_id, "mime_type": "image/jpeg"}})


def message(wa_id: str, part: dict, *, name: str = "सुनीता वर्मा", message_id: str | None = None) -> dict:
    msg = {"from": wa_id, "id": message_id or f"wamid.TEST{next(_ids):08d}", "timestamp": "1796000000", **part}
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "917000000000", "phone_number_id": "PNID1"},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [msg]}}]}]}


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, dict]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Hub-Signature-256": f"sha256={signature}", "Content-Type": "application/json"}


def deliver(client, payload: dict, *, times: int = 1):
    """POST the delivery `times` times (the Cloud API retries); the last response."""
    body, headers = signed(payload)
    for _ in range(times):
        response = client.post("/webhooks/whatsapp", data=body, headers=headers)
        assert response.status_code == 200, response.text
    return response
