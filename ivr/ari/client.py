"""A small ARI client: JSON over HTTP with basic authentication, bounded in time. It knows the
REST paths it uses and nothing of the helpline."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from urllib.parse import quote

from ivr.ami.client import AsteriskUnavailable

TIMEOUT_S = 5.0


class AriError(Exception):
    """Asterisk answered, but refused the request."""

    def __init__(self, status: int, message: str):
        super().__init__(f"ARI answered {status}: {message}")
        self.status = status


class Ari:
    def __init__(self, base_url: str, user: str, secret: str, timeout: float = TIMEOUT_S):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        token = base64.b64encode(f"{user}:{secret}".encode()).decode()
        self._auth = f"Basic {token}"

    @classmethod
    def from_settings(cls, settings) -> Ari:
        return cls(f"http://{settings.asterisk_http}/ari", settings.ami_user, str(settings.ami_secret))

    def request(self, method: str, path: str, body: dict | None = None) -> dict | list | None:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method,
                                     headers={"Authorization": self._auth,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                text = response.read(1_000_000).decode()
        except urllib.error.HTTPError as exc:
            detail = exc.read(10_000).decode(errors="replace")
            try:
                detail = json.loads(detail).get("message", detail)
            except (ValueError, AttributeError):
                pass
            raise AriError(exc.code, detail) from None
        except (urllib.error.URLError, OSError) as exc:
            raise AsteriskUnavailable(f"ARI at {self.base_url} not reachable: {exc}") from exc
        return json.loads(text) if text.strip() else None

    # Dynamic configuration (sorcery objects), e.g. ("res_pjsip", "endpoint", "ravi.sahu-7").
    def put_object(self, config_class: str, object_type: str, name: str, fields: dict[str, str]) -> list:
        body = {"fields": [{"attribute": k, "value": v} for k, v in fields.items()]}
        return self.request("PUT", _object_path(config_class, object_type, name), body) or []

    def get_object(self, config_class: str, object_type: str, name: str) -> dict[str, str] | None:
        try:
            tuples = self.request("GET", _object_path(config_class, object_type, name)) or []
        except AriError as exc:
            if exc.status == 404:
                return None
            raise
        return {t["attribute"]: t["value"] for t in tuples}

    def delete_object(self, config_class: str, object_type: str, name: str) -> None:
        try:
            self.request("DELETE", _object_path(config_class, object_type, name))
        except AriError as exc:
            if exc.status != 404:
                raise


def _object_path(config_class: str, object_type: str, name: str) -> str:
    return f"/asterisk/config/dynamic/{quote(config_class)}/{quote(object_type)}/{quote(name, safe='')}"
