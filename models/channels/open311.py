"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): our categories as its services,
our complaints as its service requests, and a POSTed request lodged like any other complaint."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.channels import citizen
from models.complaints.complaint import Channel, Complaint
from models.complaints.complaint_id import InvalidComplaintId, parse
from models.complaints.intake import ComplaintInput, InvalidField
from models.complaints.routing import NoOfficerConfigured
from models.complaints.status import OPEN, ComplaintStatus
from models.core.base import utcnow
from models.reference.departments import Category, all_categories, get_category
from models.reference.places import districts_in_keypad_order

log = logging.getLogger(__name__)

MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
JURISDICTION = "cmhelpline.cg.gov.in"
# Our field names as a GeoReport client knows them, for the errors' descriptions.
FIELDS = {"category_code": "service_code", "mobile": "phone", "district_code": "attribute[district]",
          "block": "attribute[block]", "citizen_name": "first_name"}


class Open311Error(Exception):
    """A request the standard answers with an error list: `status` is the HTTP code."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def open311_status(status: ComplaintStatus) -> str:
    return "open" if status in OPEN else "closed"


def services(*, session: Session, locale: str = "en") -> list[dict]:
    hi = locale.startswith("hi")
    return [{"service_code": c.code, "service_name": c.name_hi if hi else c.name_en,
             "description": (c.department.name_hi if hi else c.department.name_en),
             "metadata": True, "type": "realtime", "keywords": c.name_en.lower(),
             "group": c.department.name_hi if hi else c.department.name_en}
            for c in all_categories(session=session)]


def service_definition(*, session: Session, service_code: str, locale: str = "en") -> dict:
    category = get_category(session=session, code=service_code.upper())
    if category is None:
        raise Open311Error(404, f"service_code {service_code} not found")
    hi = locale.startswith("hi")
    districts = [{"key": d.code, "name": d.name_hi if hi else d.name_en}
                 for d in districts_in_keypad_order(session=session)]
    return {"service_code": category.code, "attributes": [
        {"variable": True, "code": "district", "datatype": "singlevaluelist", "required": True,
         "datatype_description": "the district's code", "order": 1,
         "description": "ज़िला" if hi else "District", "values": districts},
        {"variable": True, "code": "block", "datatype": "string", "required": False,
         "datatype_description": "a block, tehsil or urban body of the district (code or name)",
         "order": 2, "description": "विकासखंड / तहसील" if hi else "Block or tehsil"},
    ]}


def _w3c(at: datetime | None) -> str | None:
    from models.reference.calendar import to_local

    return to_local(at).isoformat(timespec="seconds") if at else None


def as_request(complaint: Complaint, *, location=None, locale: str = "en",
               with_description: bool = False) -> dict:
    """A complaint as a GeoReport service request: never the citizen's name, mobile or address."""
    hi = locale.startswith("hi")
    place = [p.name_hi if hi else p.name_en for p in (complaint.block, complaint.district) if p is not None]
    category, department = complaint.category, complaint.department
    return {
        "service_request_id": complaint.public_id,
        "status": open311_status(complaint.status),
        "status_notes": complaint.status.value.replace("_", " "),
        "service_name": category.name(locale[:2]) if category else None,
        "service_code": complaint.category_code,
        "description": complaint.description if with_description else None,
        "agency_responsible": department.name(locale[:2]) if department else None,
        "service_notice": None,
        "requested_datetime": _w3c(complaint.registered_at or complaint.created_at),
        "updated_datetime": _w3c(complaint.last_action_at),
        "expected_datetime": _w3c(complaint.due_at),
        "address": ", ".join(place) or None,
        "address_id": None,
        "zipcode": None,
        "lat": location.lat if location else None,
        "long": location.long if location else None,
        "media_url": None,
    }


def parse_when(name: str, text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Open311Error(400, f"{name} must be a W3C date-time such as 2026-01-01T00:00:00Z, "
                                f"not {text!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def find_requests(*, session: Session, ids: list[str] = (), service_codes: list[str] = (),
                  statuses: list[str] = (), start: datetime | None = None,
                  end: datetime | None = None, now: datetime | None = None) -> list[Complaint]:
    """The requests matching the standard's filters: the IDs alone when given; else the others,
    within 90 days (the last 90 by default), at most 1,000, newest first."""
    query = select(Complaint).where(Complaint.status != ComplaintStatus.DRAFT)
    if ids:
        public_ids = []
        for text in ids:
            try:
                public_ids.append(parse(text))
            except InvalidComplaintId as exc:
                raise Open311Error(400, f"service_request_id {text!r}: {exc}") from None
        query = query.where(Complaint.public_id.in_(public_ids))
    else:
        bad = [s for s in statuses if s not in ("open", "closed")]
        if bad:
            raise Open311Error(400, f"status must be open or closed, not {bad[0]!r}")
        end = end or (start + MAX_SPAN if start else now or utcnow())
        start = start or end - MAX_SPAN
        if start > end:
            raise Open311Error(400, "start_date is after end_date")
        if end - start > MAX_SPAN:
            raise Open311Error(400, "start_date and end_date may not span more than 90 days")
        query = query.where(Complaint.created_at >= start, Complaint.created_at <= end)
        if service_codes:
            query = query.where(Complaint.category_code.in_([c.upper() for c in service_codes]))
        if statuses and set(statuses) != {"open", "closed"}:
            condition = Complaint.status.in_(OPEN)
            query = query.where(condition if statuses[0] == "open" else ~condition)
    return list(session.scalars(query.order_by(Complaint.created_at.desc(), Complaint.id.desc())
                                .limit(MAX_RESULTS)))


@dataclass(frozen=True)
class PostedRequest:
    service_code: str
    phone: str
    description: str
    district: str
    block: str = ""
    first_name: str = ""
    last_name: str = ""
    address_string: str = ""
    lat: str = ""
    long: str = ""
    locale: str = "hi"


def post_request(*, session: Session, posted: PostedRequest, actor: str) -> Complaint:
    """Lodge a POSTed service request (channel open311). Open311Error 404 for an unknown service,
    400 naming the standard's field for anything else that is wrong."""
    if not posted.service_code:
        raise Open311Error(400, "service_code is required")
    if session.get(Category, posted.service_code.upper()) is None:
        raise Open311Error(404, f"service_code {posted.service_code} not found")
    data = ComplaintInput(
        mobile=posted.phone, description=posted.description, channel=Channel.OPEN311,
        citizen_name=" ".join(filter(None, (posted.first_name.strip(), posted.last_name.strip()))),
        district_code=posted.district or None, block=posted.block or None,
        address=posted.address_string, category_code=posted.service_code,
        language="en" if posted.locale.startswith("en") else "hi")
    try:
        if not posted.district:
            raise InvalidField("district_code", "is required (a district's code, see the service "
                                                "definition)", code="required")
        location = citizen.Location.parse(posted.lat, posted.long)
        with session.begin_nested():
            return citizen.lodge(session=session, data=data, actor=actor, location=location)
    except InvalidField as exc:
        raise Open311Error(400, f"{FIELDS.get(exc.field, exc.field)}: {exc.message}") from None
    except NoOfficerConfigured as exc:
        raise Open311Error(400, f"attribute[district]: {exc}") from None
