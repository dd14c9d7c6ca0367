"""What the portal says, in the page's language: errors under the field they concern, the
timeline's steps in plain words, why a complaint ID is not right."""

from __future__ import annotations

from datetime import datetime

from agent_desk.portal import t
from agent_desk.web.context import lang
from models.channels.tracking import Step
from models.complaints.intake import InvalidField
from models.reference.calendar import to_local

FIELD_MESSAGES = {
    ("mobile", None): "This is not a valid Indian mobile number: 10 digits, starting with 6, 7, 8 or 9.",
    ("description", "too_short"): "Describe the complaint in at least 5 letters.",
    ("description", "too_long"): "The description may have at most 5000 letters.",
    ("citizen_name", None): "The name may have at most 120 letters.",
    ("district_code", "required"): "Choose your district.",
    ("district_code", None): "Choose a district from the list.",
    ("block", None): "This block or tehsil is not in the chosen district; choose one from the list "
                     "or leave it empty.",
    ("category_code", "required"): "Choose what the complaint is about.",
    ("category_code", None): "Choose a subject from the list (type a word in Hindi or English).",
    ("attachments", "too_large"): "The file is too large: at most %(limit)s KB.",
    ("attachments", "wrong_file_type"): "Only a photo (JPEG or PNG) or a PDF can be attached.",
    ("attachments", "too_many"): "At most %(limit)s files.",
    ("attachments", None): "The file could not be read.",
    ("lat", None): "The location is not valid; leave it empty or use the button.",
    ("long", None): "The location is not valid; leave it empty or use the button.",
}


def field_message(exc: InvalidField) -> str:
    """The sentence under the field `exc` names, in the page's language."""
    text = FIELD_MESSAGES.get((exc.field, exc.code)) or FIELD_MESSAGES.get((exc.field, None))
    if text is None:
        return t("This is not valid.")
    return t(text, limit=exc.limit) if "%(limit)s" in text else t(text)


def limited_message(until: datetime | None) -> str:
    when = to_local(until).strftime("%H:%M") if until else ""
    return t("Too many tries. Please try again after %(time)s.", time=when)


STEP_WORDS = {
    "registered": "Registered", "with_office": "Sent to the %(office)s",
    "work_started": "The office is working on it", "escalated": "Sent up to the %(office)s",
    "rerouting": "Being sent to the right department",
    "paused": "Waiting: the time limit is paused for an approved reason", "resolved": "Resolved",
    "reopened": "Reopened", "closed": "Closed", "rejected": "Rejected",
}


def step_words(step: Step) -> str:
    """A step of the timeline in plain words; an office by its designation only."""
    office = step.office_hi if lang() == "hi" else step.office_en
    text = STEP_WORDS[step.kind]
    return t(text, office=office) if "%(office)s" in text else t(text)


def id_message(problem: str | None) -> str:
    return {
        "empty": t("Write the complaint ID."),
        "not_digits": t("The complaint ID has only digits."),
        "length": t("The complaint ID has 10 digits."),
        "check_digit": t("This ID is not right: its last digit (the check digit) does not match. "
                         "A digit may be mistyped or two digits swapped; please check the SMS."),
    }.get(problem or "", t("The complaint ID is not right."))
