"""What the portal's forms hand in, read into the domain's inputs, and their errors in words."""

from __future__ import annotations

from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, MultiDict

from models.channels.citizen import Location
from models.complaints.complaint import Channel
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.notes import Upload
from models.reference.departments import all_categories, search_categories
from models.reference.places import Block, districts_in_keypad_order

MAX_FILES = 3


def reference_lists(session: Session) -> dict:
    """The districts, blocks and categories the form offers."""
    return {"districts": districts_in_keypad_order(session=session),
            "blocks": list(session.query(Block).order_by(Block.district_code, Block.name_en)),
            "categories": all_categories(session=session)}


def category_code(session: Session, typed: str) -> str | None:
    """The category picked from the list ("PHE-HPM — …"), or the only one whose name has the words."""
    text = (typed or "").strip()
    if not text:
        return None
    head = text.split(" ", 1)[0].upper()
    if "-" in head and search_categories(session=session, text=head, limit=1):
        return head
    found = search_categories(session=session, text=text, limit=2)
    if len(found) == 1:
        return found[0].code
    raise InvalidField("category_code", "choose a category from the list", code="unknown")


def complaint_input(session: Session, form: MultiDict, *, mobile: str, language: str) -> ComplaintInput:
    return ComplaintInput(
        mobile=mobile, description=form.get("description", ""), channel=Channel.PORTAL,
        citizen_name=form.get("citizen_name", ""), district_code=form.get("district_code") or None,
        block=(form.get("block") or "").split(" ", 1)[0] or None, address=form.get("address", ""),
        category_code=category_code(session, form.get("category", "")), language=language)


def location(form: MultiDict) -> Location | None:
    return Location.parse(form.get("lat"), form.get("long"))


def uploads(files: MultiDict) -> list[Upload]:
    chosen: list[FileStorage] = [f for f in files.getlist("attachment") if f and f.filename]
    if len(chosen) > MAX_FILES:
        raise InvalidField("attachments", f"at most {MAX_FILES} files", code="too_many", limit=MAX_FILES)
    return [Upload(filename=f.filename, data=f.read()) for f in chosen]
