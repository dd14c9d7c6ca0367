"""The registration form's fields: from a draft or a request, to a ComplaintInput."""

from __future__ import annotations

from models.complaints.complaint import Complaint
from models.complaints.intake import ComplaintInput, InvalidField, normalise_mobile

FIELDS = ("citizen_name", "mobile", "district_code", "block", "address", "category",
          "description", "language", "confirm_new", "draft")


def category_code(text: str) -> str | None:
    """`REV-MUT — नामांतरण` (what the category search fills in) -> `REV-MUT`."""
    code = (text or "").split("—", 1)[0].split(" ", 1)[0].strip().upper()
    return code or None


def _mobile(raw: str) -> str:
    try:
        return normalise_mobile(raw)
    except InvalidField:
        return raw or ""


def form_values(*, draft: Complaint | None, args) -> dict:
    """What the form shows: the request's values, else what the IVR captured."""
    values = {name: (args.get(name) or "").strip() for name in FIELDS}
    if draft is not None:
        values["draft"] = draft.public_id
        values["mobile"] = values["mobile"] or _mobile(draft.mobile)
        values["district_code"] = values["district_code"] or (draft.district_code or "")
        values["description"] = values["description"] or draft.description or ""
        values["language"] = values["language"] or draft.language
    values["language"] = values["language"] or "hi"
    return values


def form_input(values: dict) -> ComplaintInput:
    """The domain input; checking is the domain's (ComplaintInput.cleaned)."""
    return ComplaintInput(
        mobile=values["mobile"], description=values["description"], channel="counter",
        citizen_name=values["citizen_name"], district_code=values["district_code"] or None,
        block=values["block"] or None, address=values["address"],
        category_code=category_code(values["category"]), language=values["language"])
