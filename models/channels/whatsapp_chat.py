"""A citizen's conversation on WhatsApp: lodge a complaint step by step, or ask its status.

The conversation's state (its step, language and what was said so far) is a row, so a restart of
the desk loses nothing; each inbound message is taken in once by its Cloud API id, so a retried
delivery changes nothing.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.channels import citizen, tracking
from models.channels import whatsapp_messages as messages
from models.channels.whatsapp_texts import say, status_words
from models.complaints.complaint import Channel, Complaint
from models.complaints.complaint_id import parse
from models.complaints.intake import ComplaintInput, InvalidField, normalise_mobile
from models.complaints.routing import NoOfficerConfigured
from models.complaints.service import get_by_public_id, record
from models.core.base import Base, utcnow
from models.reference.calendar import to_local
from models.reference.departments import get_category, search_categories
from models.reference.places import District, blocks_of, find_block

log = logging.getLogger(__name__)

MENU, DISTRICT, BLOCK, CATEGORY, DESCRIPTION, EXTRAS, ASK_ID = (
    "menu", "district", "block", "category", "description", "extras", "ask_id")
YES = {"1", "हाँ", "हां", "yes", "register", "दर्ज"}
STALE_AFTER = timedelta(hours=24)  # the Cloud API's customer-service window
CANCEL = {"0", "cancel", "रद्द"}


class Conversation(Base):
    __tablename__ = "whatsapp_conversations"

    wa_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), default="hi")
    step: Mapped[str] = mapped_column(String(20), default=MENU)
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what the citizen said so far
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Inbound:
    """One message of a Cloud API delivery."""
    message_id: str
    wa_id: str
    kind: str = "text"                 # text, image, document, location, …
    text: str = ""
    profile_name: str = ""
    media_id: str = ""
    lat: float | None = None
    long: float | None = None


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def _mobile(wa_id: str) -> str | None:
    try:
        return normalise_mobile("+" + wa_id.lstrip("+"))
    except InvalidField:
        return None


def _due(complaint: Complaint) -> str:
    return to_local(complaint.due_at).strftime("%d-%m-%Y") if complaint.due_at else "-"


def receive(*, session: Session, inbound: Inbound, at: datetime | None = None) -> list[str] | None:
    """Take in one message and answer it; None when this message id was taken in before.

    The conversation's row is locked first (PostgreSQL; SQLite serialises writers), so two
    deliveries for one citizen take turns; two first messages at once, or one message delivered
    twice at once, meet a unique key: the caller retries and the repeat is then seen."""
    chat = session.get(Conversation, inbound.wa_id, with_for_update=True)
    if messages.seen(session=session, wa_message_id=inbound.message_id):
        log.info("WhatsApp message %s delivered again; ignored", inbound.message_id)
        return None
    at = at or utcnow()
    body = inbound.text if inbound.kind == "text" else (
        f"{inbound.lat},{inbound.long}" if inbound.kind == "location" else inbound.media_id)
    message = messages.take_in(session=session, wa_message_id=inbound.message_id, wa_id=inbound.wa_id,
                               kind=inbound.kind, body=_clean(body), at=at)
    if chat is None:
        chat = Conversation(wa_id=inbound.wa_id, language="hi", step=MENU, data="{}", updated_at=at)
        session.add(chat)
    data = json.loads(chat.data or "{}")
    if chat.step != MENU and at - chat.updated_at > STALE_AFTER:  # begin again, do not guess
        log.info("WhatsApp conversation of %s idle since %s: back to the menu", chat.wa_id, chat.updated_at)
        _reset(chat, data)
    data.setdefault("messages", []).append(message.id)
    replies, concerned = _answer(session, chat, data, inbound, at)
    if chat.step == MENU:
        data.pop("messages", None)  # only a complaint being lodged gathers its messages
    chat.data = json.dumps(data, ensure_ascii=False)
    chat.updated_at = at
    for text in replies:
        messages.queue_reply(session=session, wa_id=inbound.wa_id, body=text, complaint=concerned, at=at)
    if concerned is not None:
        messages.link(session=session, message=message, complaint=concerned)
    session.flush()
    return replies


def _answer(session: Session, chat: Conversation, data: dict, inbound: Inbound, at: datetime):
    """(replies, the complaint the exchange concerns or None); changes `chat` and `data`."""
    text, lang = _clean(inbound.text), chat.language
    word = text.casefold()
    if word in ("en", "english"):
        chat.language = "en"
        return [say("menu", "en")], None
    if word in ("hindi", "हिंदी", "हिन्दी"):  # not "hi": that is a greeting
        chat.language = "hi"
        return [say("menu", "hi")], None
    if chat.step != MENU and chat.step != ASK_ID and word in CANCEL:
        _reset(chat, data)
        return [say("cancelled", lang), say("menu", lang)], None
    handler = {DISTRICT: _district, BLOCK: _block, CATEGORY: _category, DESCRIPTION: _description,
               EXTRAS: _extras, ASK_ID: _ask_id}.get(chat.step, _menu)
    return handler(session, chat, data, inbound, text, at)


def _reset(chat: Conversation, data: dict) -> None:
    data.clear()
    chat.step = MENU


def _menu(session, chat, data, inbound, text, at):
    lang = chat.language
    digits = re.sub(r"[\s\-]", "", text)
    if digits.isdigit() and len(digits) >= 6:
        return _status(session, chat, text)
    if text == "1" or text.casefold() in ("new", "complaint", "शिकायत", "नई शिकायत"):
        if _mobile(chat.wa_id) is None:
            return [say("not_indian", lang)], None
        chat.step = DISTRICT
        return [say("ask_district", lang)], None
    if text == "2" or text.casefold() in ("status", "स्थिति"):
        chat.step = ASK_ID
        return [say("ask_id", lang)], None
    return [say("menu", lang)], None


def _ask_id(session, chat, data, inbound, text, at):
    chat.step = MENU
    return _status(session, chat, text)


def _status(session: Session, chat: Conversation, text: str):
    """The status of the complaint whose ID was sent, if it was registered from this number."""
    lang = chat.language
    problem = tracking.id_problem(text)
    if problem in ("length", "not_digits", "empty"):
        return [say("bad_id.length", lang, n=len(re.sub(r"\D", "", text)))], None
    if problem == "check_digit":
        return [say("bad_id.check_digit", lang)], None
    public_id = parse(text)
    complaint = get_by_public_id(session=session, public_id=public_id)
    if complaint is None or complaint.mobile != _mobile(chat.wa_id):
        return [say("not_yours", lang, id=public_id)], None
    return [status_text(complaint, lang)], complaint


def status_text(complaint: Complaint, lang: str) -> str:
    office = ""
    if complaint.officer is not None and complaint.status.value not in ("resolved", "closed"):
        office = say("status_office", lang, office=complaint.officer.designation_hi if lang == "hi"
                     else complaint.officer.designation_en)
    due = say("status_due", lang, due=_due(complaint)) if complaint.due_at else ""
    return say("status", lang, id=complaint.public_id, status=status_words(complaint.status.value, lang),
               office=office, due=due)


def find_district(session: Session, text: str) -> District | None:
    """A district by its keypad number, code, or Hindi or English name (or their beginning)."""
    if text.isdigit():
        return session.scalars(select(District).where(District.keypad == int(text))).first()
    exact = session.scalars(select(District).where(or_(
        District.code == text.upper(), District.name_hi == text, District.name_en.ilike(text)))).first()
    if exact or len(text) < 3:
        return exact
    found = list(session.scalars(select(District).where(or_(
        District.name_hi.startswith(text), District.name_en.ilike(f"{text}%")))))
    return found[0] if len(found) == 1 else None


def _district(session, chat, data, inbound, text, at):
    lang = chat.language
    district = find_district(session, text)
    if district is None:
        return [say("unknown_district", lang, text=text)], None
    data["district"] = district.code
    blocks = blocks_of(session=session, district_code=district.code)
    if blocks:  # complaints here go to the block's office: ask which
        data["options"] = [b.code for b in blocks]
        listing = "\n".join(f"{i}. {_name(b, lang)}" for i, b in enumerate(blocks, 1))
        chat.step = BLOCK
        return [say("ask_block", lang, district=district.name(lang), options=listing)], None
    chat.step = CATEGORY
    return [say("ask_category", lang, district=district.name(lang))], None


def _name(place, lang: str) -> str:
    return place.name_hi if lang == "hi" else place.name_en


def _block(session, chat, data, inbound, text, at):
    lang = chat.language
    options = data.get("options") or []
    code = options[int(text) - 1] if text.isdigit() and 1 <= int(text) <= len(options) else None
    block = find_block(session=session, district_code=data["district"], name_or_code=code or text)
    if block is None:
        return [say("unknown_block", lang, text=text)], None
    data.pop("options", None)
    data["block"] = block.code
    chat.step = CATEGORY
    return [say("ask_category", lang, district=_name(block, lang))], None


def _category(session, chat, data, inbound, text, at):
    lang = chat.language
    options = data.get("options") or []
    if text.isdigit() and options and 1 <= int(text) <= len(options):
        category = get_category(session=session, code=options[int(text) - 1])
    else:
        found = search_categories(session=session, text=text, limit=6)
        if not found:
            return [say("no_category", lang, text=text)], None
        if len(found) > 1:
            data["options"] = [c.code for c in found]
            listing = "\n".join(f"{i}. {c.name(lang)}" for i, c in enumerate(found, 1))
            return [say("choose_category", lang, options=listing)], None
        category = found[0]
    data.pop("options", None)
    data["category"] = category.code
    chat.step = DESCRIPTION
    return [say("ask_description", lang, category=category.name(lang))], None


def _description(session, chat, data, inbound, text, at):
    lang = chat.language
    if inbound.kind != "text" or len(text) < 5:
        return [say("short_description", lang)], None
    data["description"] = text
    chat.step = EXTRAS
    return [say("ask_extras", lang)], None


def _extras(session, chat, data, inbound, text, at):
    lang = chat.language
    if inbound.kind == "location" and inbound.lat is not None:
        data["location"] = [inbound.lat, inbound.long]
        return [say("got_extra", lang)], None
    if inbound.kind in ("image", "document"):
        data.setdefault("media", []).append(inbound.media_id)
        return [say("got_extra", lang)], None
    if text == "2" and data.get("duplicate"):
        complaint = get_by_public_id(session=session, public_id=data["duplicate"])
        _reset(chat, data)
        return ([status_text(complaint, lang)], complaint) if complaint else ([say("menu", lang)], None)
    if text.casefold() not in YES:
        return [say("ask_extras", lang)], None
    return _lodge(session, chat, data, inbound, at)


def _lodge(session: Session, chat: Conversation, data: dict, inbound: Inbound, at: datetime):
    lang = chat.language
    form = ComplaintInput(mobile=_mobile(chat.wa_id) or "", description=data.get("description", ""),
                          channel=Channel.WHATSAPP, citizen_name=inbound.profile_name or data.get("name", ""),
                          district_code=data.get("district"), block=data.get("block"),
                          category_code=data.get("category"),
                          language=lang)
    location = citizen.Location(*data["location"]) if data.get("location") else None
    try:
        similar = [] if data.get("warned") else citizen.possible_duplicates(session=session,
                                                                            data=form.cleaned())
        if similar:
            earlier = similar[0].complaint
            data["warned"], data["duplicate"] = True, earlier.public_id
            return [say("duplicate", lang, id=earlier.public_id,
                        category=earlier.category.name(lang) if earlier.category else "-")], None
        with session.begin_nested():
            complaint = citizen.lodge(session=session, data=form, actor=f"whatsapp:{chat.wa_id}",
                                      location=location, at=at)
    except (InvalidField, NoOfficerConfigured) as exc:
        log.warning("WhatsApp complaint of %s not registered: %s", chat.wa_id, exc)
        _reset(chat, data)
        return [say("no_office" if isinstance(exc, NoOfficerConfigured) else "not_registered", lang)], None
    if data.get("media"):
        record(session=session, complaint=complaint, actor=f"whatsapp:{chat.wa_id}", channel="whatsapp",
               action="citizen_files", note="WhatsApp media " + ", ".join(data["media"]))
    for earlier in messages.of_ids(session=session, ids=data.get("messages", [])[:-1]):
        messages.link(session=session, message=earlier, complaint=complaint)
    chat.complaint_id = complaint.id
    _reset(chat, data)
    return [say("registered", lang, id=complaint.public_id, due=_due(complaint))], complaint
