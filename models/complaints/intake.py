"""What a channel hands in to register a complaint, checked field by field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers

from models.complaints.complaint import Channel


class InvalidField(ValueError):
    """A field is missing or malformed: `field` names it, `code` says how (required, unknown,
    invalid, too_short, too_long; `limit` is the bound), `message` says it in English."""

    def __init__(self, field_name: str, message: str, *, code: str = "invalid", limit: int | None = None):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message
        self.code = code
        self.limit = limit


def normalise_mobile(raw: str, field_name: str = "mobile") -> str:
    """An Indian mobile number as 10 digits, from forms like +91 98765-43210 or 098765 43210."""
    text = re.sub(r"[\s\-()]", "", raw or "")
    if not text:
        raise InvalidField(field_name, "mobile number is required", code="required")
    if len(text) == 11 and text.startswith("0"):
        text = text[1:]
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        raise InvalidField(field_name, f"{raw!r} is not a phone number") from None
    national = str(number.national_number)
    if number.country_code != 91 or not phonenumbers.is_valid_number(number) \
            or len(national) != 10 or national[0] not in "6789":
        raise InvalidField(field_name, f"{raw!r} is not a valid Indian mobile number")
    return national


def _text(value: str | None) -> str:
    """Free text as stored and searched: Unicode NFC (one spelling of each Devanagari letter)."""
    return unicodedata.normalize("NFC", (value or "").strip())


@dataclass
class ComplaintInput:
    mobile: str
    description: str
    channel: Channel | str = Channel.PORTAL
    citizen_name: str = ""
    district_code: str | None = None
    block: str | None = None          # block/tehsil code or name, optional
    address: str = ""
    category_code: str | None = None
    language: str = "hi"
    hearing_id: int | None = None
    extra: dict = field(default_factory=dict)

    def cleaned(self) -> "ComplaintInput":
        """A copy with every field checked and normalised; InvalidField names the first bad one."""
        try:
            channel = Channel(self.channel)
        except ValueError:
            allowed = ", ".join(c.value for c in Channel)
            raise InvalidField("channel", f"must be one of {allowed}", code="unknown") from None
        description = _text(self.description)
        if len(description) < 5:
            raise InvalidField("description", "describe the complaint in at least 5 characters",
                               code="too_short", limit=5)
        if len(description) > 5000:
            raise InvalidField("description", "at most 5000 characters", code="too_long", limit=5000)
        if len(self.citizen_name or "") > 120:
            raise InvalidField("citizen_name", "at most 120 characters", code="too_long", limit=120)
        if self.language not in ("hi", "en"):
            raise InvalidField("language", "must be hi or en")
        return ComplaintInput(
            mobile=normalise_mobile(self.mobile), description=description, channel=channel,
            citizen_name=_text(self.citizen_name),
            district_code=(self.district_code or "").strip().upper() or None,
            block=(self.block or "").strip() or None, address=_text(self.address),
            category_code=(self.category_code or "").strip().upper() or None,
            language=self.language, hearing_id=self.hearing_id, extra=dict(self.extra),
        )
