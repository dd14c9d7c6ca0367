"""Domain errors in the screen's language: an error's `code` picks a translated sentence, so the
English text of an exception never reaches a Hindi screen (it goes to the log instead)."""

from __future__ import annotations

import logging

from flask_babel import gettext

from agent_desk.web.context import status_label

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark `message` for the catalogue (pybabel extract); it is translated when shown."""
    return message


FIELDS = {  # InvalidField.field (and the import's column names) -> the label on the screen
    "mobile": N_("Mobile number"), "description": N_("Description"),
    "citizen_name": N_("Citizen's name"), "channel": N_("Channel"), "language": N_("Language"),
    "district_code": N_("District"), "district": N_("District"), "block": N_("Block / tehsil"),
    "category_code": N_("Category"), "category": N_("Category"), "status": N_("Status"),
    "resolution": N_("Resolution"), "text": N_("Explanation"), "place": N_("Place"),
    "presiding_authority": N_("Presiding authority"), "kind": N_("Kind"), "held_on": N_("Date"),
    "from": N_("From"), "to": N_("To"),
    "reason": N_("Reason"), "note": N_("Note"), "days": N_("Working days"), "reason_code": N_("Reason"),
    "attachments": N_("Attachments"), "request_id": N_("Request"), "decision": N_("Decision"),
    "action": N_("Action"), "complaint_id": N_("Complaint ID"),
    "nodal_officer": N_("Nodal officer"), "assistant_nodal_officers": N_("Assistant nodal officers"),
    "secretary": N_("Secretary"), "day": N_("Date"), "name": N_("Name"), "address": N_("Address"),
    "username": N_("Username"), "full_name": N_("Full name"), "phone_interface": N_("Phone"),
}

MESSAGES = {  # a domain error's code -> its sentence
    "required": N_("%(field)s: this is required."),
    "unknown": N_("%(field)s: this is not in the list; choose a listed value."),
    "invalid": N_("%(field)s: this is not valid."),
    "too_short": N_("%(field)s: write at least %(limit)s characters."),
    "too_long": N_("%(field)s: at most %(limit)s characters."),
    "illegal_transition": N_("This step is not allowed while the complaint is %(status)s."),
    "no_officer": N_("No officer is set up for this department and place; tell the administrator."),
    "unknown_category": N_("This category is not in the list."),
    "explanation_not_open": N_("This explanation is no longer open."),
    "not_allowed": N_("You may not take this step on this complaint."),
    "transfer_cap": N_("This complaint has been transferred as often as allowed; the department must settle it."),
    "no_nodal": N_("The department has no nodal officer; tell the administrator."),
    "request_pending": N_("A request of this kind already awaits a decision."),
    "request_not_pending": N_("This request has already been decided."),
    "no_approver": N_("Nobody above this level can decide this request."),
    "top_level": N_("The complaint is already at the highest level."),
    "other_department": N_("%(field)s: choose one of this department."),
    "out_of_range": N_("%(field)s: a whole number from 1 to %(limit)s."),
    "too_many": N_("%(field)s: at most %(limit)s files."),
    "too_large": N_("%(field)s: each file at most %(limit)s KB."),
    "wrong_file_type": N_("%(field)s: only JPEG, PNG or PDF files."),
    "token_needs_officer": N_("Name the login of an active officer."),
    "duplicate_day": N_("%(field)s: this day is already a holiday."),
    "user_exists": N_("A user with this username already exists."),
    "weak_password": N_("The password needs at least %(limit)s characters."),
    "guessable_password": N_("This password is the login name or too easy to guess: choose another."),
    "unknown_role": N_("Choose a role from the list."),
    "callback_not_waiting": N_("This call-back is no longer waiting: it is being dialled, done or cancelled."),
    "not_an_agent": N_("Only agents and supervisors take calls, so only they get a phone."),
    "wrong_type": N_("Choose a CSV or XLSX file."),
    "not_utf8": N_("The CSV file is not UTF-8 text; save it as “CSV UTF-8”."),
    "not_utf8_row": N_("Row %(row)s of the CSV file is not UTF-8 text; save the file as “CSV UTF-8”."),
    "formula": N_("%(field)s: a spreadsheet formula, not text; paste the values instead."),
    "empty": N_("The file is empty."),
    "unreadable_xlsx": N_("The XLSX file cannot be read."),
    "missing_columns": N_("The header row lacks the column(s) %(columns)s."),
}
FALLBACK = N_("This could not be done; try again or tell the administrator.")


def field_label(name: str) -> str:
    """A field's name on the screen."""
    return gettext(FIELDS[name]) if name in FIELDS else name


def message(code: str | None, *, field: str = "", limit: int | None = None, columns: str = "",
            status=None, row: int | None = None) -> str:
    """The screen's sentence for error `code`, with the error's field, bound, status or row filled in."""
    if code == "not_utf8" and row is not None:
        code = "not_utf8_row"
    if code not in MESSAGES:
        return gettext(FALLBACK)
    return gettext(MESSAGES[code], field=field_label(field), limit=limit, columns=columns,
                   status=status_label(status) if status else "", row=row)


def error_text(exc: Exception) -> str:
    """What the screen says about the domain error `exc`."""
    code = getattr(exc, "code", None)
    if code not in MESSAGES:
        log.warning("no screen message for %s: %s", type(exc).__name__, exc)
    return message(code, field=getattr(exc, "field", ""), limit=getattr(exc, "limit", None),
                   columns=getattr(exc, "columns", ""), status=getattr(exc, "status", None),
                   row=getattr(exc, "row", None))


def field_errors(exc: Exception, field: str | None = None) -> dict[str, str]:
    """The form's errors for `exc`: its sentence under the field it names (or under `field`)."""
    return {field or getattr(exc, "field", ""): error_text(exc)}


def row_errors(errors: list[dict]) -> list[dict]:
    """An import's rejected rows, each problem in the screen's language (the job keeps the English;
    the field stays the file's column name; rows stored before errors had a code keep their text)."""
    return [{**e, "message": message(e["code"], field=e["field"], limit=e.get("limit"))}
            if e.get("code") else e for e in errors]
