"""What a channel hands in to register a complaint, checked field by field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers

from models.complaints.complaint import Channel
from models.core.text import normalise_text


MAX_DESCRIPTION, MAX_NAME, MAX_ADDRESS, MAX_CODE = 5000, 120, 500, 40


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
    """An Indian mobile number as 10 digits, from forms like +91 98765-43210, 098765 43210 or
    ९८७६५ ४३२१० (Devanagari digits); anything but digits, spaces, dashes, dots, brackets and one
    leading + is refused, naming the field."""
    text = re.sub(r"[\s\-().]", "", normalise_text(raw))
    if not text:
        raise InvalidField(field_name, "mobile number is required", code="required")
    plus, digits = text.startswith("+"), text.removeprefix("+")
    if not digits.isdecimal() or len(digits) > 15:
        raise InvalidField(field_name, f"{raw[:40]!r} is not a phone number: only digits")
    text = ("+" if plus else "") + "".join(str(unicodedata.decimal(d)) for d in digits)
    if len(text) == 11 and text.startswith("0"):
        text = text[1:]
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        raise InvalidField(field_name, f"{raw[:40]!r} is not a phone number") from None
    national = str(number.national_number)
    if number.country_code != 91 or not phonenumbers.is_valid_number(number) \
            or len(national) != 10 or national[0] not in "6789":
        raise InvalidField(field_name, f"{raw[:40]!r} is not a valid Indian mobile number")
    return national


def clean_text(value: str | None, *, field: str, max_length: int, min_length: int = 0,
               multiline: bool = False) -> str:
    """`value` as stored and searched (models/core/text.py: NFC, no zero-width or control
    characters, trimmed) and within its bounds; InvalidField names `field` otherwise."""
    text = normalise_text(value, multiline=multiline)
    if len(text) > max_length:
        raise InvalidField(field, f"at most {max_length} characters", code="too_long", limit=max_length)
    if len(text) < min_length:
        code = "required" if not text else "too_short"
        raise InvalidField(field, f"at least {min_length} characters", code=code, limit=min_length)
    return text


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
        description = clean_text(self.description, field="description", max_length=MAX_DESCRIPTION,
                                 multiline=True)
        if len(description) < 5:
            raise InvalidField("description", "describe the complaint in at least 5 characters",
                               code="too_short", limit=5)
        citizen_name = clean_text(self.citizen_name, field="citizen_name", max_length=MAX_NAME)
        address = clean_text(self.address, field="address", max_length=MAX_ADDRESS, multiline=True)
        if self.language not in ("hi", "en"):
            raise InvalidField("language", "must be hi or en")
        return ComplaintInput(
            mobile=normalise_mobile(self.mobile), description=description, channel=channel,
            citizen_name=citizen_name,
            district_code=clean_text(self.district_code, field="district_code",
                                     max_length=MAX_CODE).upper() or None,
            block=clean_text(self.block, field="block", max_length=MAX_NAME) or None, address=address,
            category_code=clean_text(self.category_code, field="category_code",
                                     max_length=MAX_CODE).upper() or None,
            language=self.language, hearing_id=self.hearing_id, extra=dict(self.extra),
        )
