"""Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, requests
(GET, and POST with an api_key from `helpline tokens create NAME --scope open311`), a request by
id; JSON or XML by the path's extension; errors as the standard's list of code + description."""

from __future__ import annotations

import logging
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, jsonify, request, url_for

from agent_desk import db
from models.channels import open311
from models.channels.citizen import locations_of
from models.core.db import unit_of_work
from models.people.tokens import TokenScope, token_row

log = logging.getLogger(__name__)
bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FORMATS = ("json", "xml")
# The XML element of each list's items, as the standard names them.
ITEMS = {"services": "service", "service_requests": "request", "errors": "error",
         "endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def _xml(root: str, value) -> bytes:
    def fill(element, data):
        if isinstance(data, dict):
            for key, item in data.items():
                fill(ET.SubElement(element, key), item)
        elif isinstance(data, list):
            for item in data:
                fill(ET.SubElement(element, ITEMS.get(element.tag, "item")), item)
        elif data is not None:
            element.text = str(data).lower() if isinstance(data, bool) else str(data)
    element = ET.Element(root)
    fill(element, value)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")).encode()


def reply(fmt: str, root: str, value, status: int = 200) -> Response:
    """`value` as JSON, or as XML under `root` (a list's items named as the standard names them)."""
    if fmt == "xml":
        return Response(_xml(root, value), status=status, content_type="text/xml; charset=utf-8")
    response = jsonify(value)
    response.status_code = status
    return response


def errors(fmt: str, status: int, description: str) -> Response:
    return reply(fmt, "errors", [{"code": status, "description": description}], status)


def _format(fmt: str) -> str | None:
    return fmt if fmt in FORMATS else None


def _locale() -> str:
    return request.values.get("locale", "en")


def _key_row():
    """The token row of a valid api_key (scope open311, or api), else None."""
    key = request.values.get("api_key", "")
    row = token_row(session=db.session(), token=key) if key else None
    return row if row is not None and row.scope in (TokenScope.OPEN311, TokenScope.API) else None


def _key_ok() -> bool:
    return _key_row() is not None


@bp.get("/discovery.<fmt>")
def discovery(fmt: str):
    if not _format(fmt):
        return errors("json", 404, f"format {fmt} not supported; use json or xml")
    base = url_for("open311.services", fmt="json", _external=True).rsplit("/", 1)[0] + "/"
    return reply(fmt, "discovery", {
        "changeset": "2026-11-29T00:00:00+05:30", "contact": "CM Helpline Chhattisgarh, 1100",
        "key_service": "an api_key is issued by the helpline's administrator",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-29T00:00:00+05:30", "type": "production",
                       "formats": ["application/json", "text/xml"]}]})


@bp.get("/services.<fmt>")
def services(fmt: str):
    if not _format(fmt):
        return errors("json", 404, f"format {fmt} not supported; use json or xml")
    return reply(fmt, "services", open311.services(session=db.session(), locale=_locale()))


@bp.get("/services/<code>.<fmt>")
def service_definition(code: str, fmt: str):
    if not _format(fmt):
        return errors("json", 404, f"format {fmt} not supported; use json or xml")
    try:
        definition = open311.service_definition(session=db.session(), service_code=code, locale=_locale())
    except open311.Open311Error as exc:
        return errors(fmt, exc.status, exc.description)
    return reply(fmt, "service_definition", definition)


def _as_requests(complaints, fmt: str):
    session = db.session()
    places = locations_of(session=session, complaint_ids=[c.id for c in complaints])
    described = _key_ok()
    return reply(fmt, "service_requests", [
        open311.as_request(c, location=places.get(c.id), locale=_locale(), with_description=described)
        for c in complaints])


def _listed(name: str) -> list[str]:
    return [part.strip() for part in request.args.get(name, "").split(",") if part.strip()]


@bp.get("/requests.<fmt>")
def requests_list(fmt: str):
    if not _format(fmt):
        return errors("json", 404, f"format {fmt} not supported; use json or xml")
    try:
        found = open311.find_requests(
            session=db.session(), ids=_listed("service_request_id"), service_codes=_listed("service_code"),
            statuses=_listed("status"), start=open311.parse_when("start_date", request.args.get("start_date")),
            end=open311.parse_when("end_date", request.args.get("end_date")))
    except open311.Open311Error as exc:
        return errors(fmt, exc.status, exc.description)
    return _as_requests(found, fmt)


@bp.get("/requests/<request_id>.<fmt>")
def request_one(request_id: str, fmt: str):
    if not _format(fmt):
        return errors("json", 404, f"format {fmt} not supported; use json or xml")
    try:
        found = open311.find_requests(session=db.session(), ids=[request_id])
    except open311.Open311Error as exc:
        return errors(fmt, exc.status, exc.description)
    if not found:
        return errors(fmt, 404, f"service_request_id {request_id} not found")
    return _as_requests(found, fmt)


@bp.post("/requests.<fmt>")
def requests_post(fmt: str):
    if not _format(fmt):
        return errors("json", 404, f"format {fmt} not supported; use json or xml")
    if not request.values.get("api_key"):
        return errors(fmt, 400, "api_key is required to post a service request")
    token = _key_row()
    if token is None:
        return errors(fmt, 403, "api_key is not valid")
    form = request.form
    posted = open311.PostedRequest(
        service_code=form.get("service_code", ""), phone=form.get("phone", ""),
        description=form.get("description", ""), district=form.get("attribute[district]", ""),
        block=form.get("attribute[block]", ""), first_name=form.get("first_name", ""),
        last_name=form.get("last_name", ""), address_string=form.get("address_string", ""),
        lat=form.get("lat", ""), long=form.get("long", ""), locale=_locale())
    with unit_of_work(db.session()) as uow:
        try:
            complaint = open311.post_request(session=uow.session, posted=posted,
                                             actor=f"open311:{token.name}")
        except open311.Open311Error as exc:
            return errors(fmt, exc.status, exc.description)
        uow.commit()
    return reply(fmt, "service_requests", [{
        "service_request_id": complaint.public_id,
        "service_notice": f"due by {open311.as_request(complaint)['expected_datetime']}",
        "account_id": None}], 201)


@bp.route("/<path:unknown>", methods=["GET", "POST"])
def unknown_resource(unknown: str):
    """Anything else under /open311/v2/ is a 404 in the standard's error format."""
    return errors("xml" if unknown.endswith(".xml") else "json", 404, f"no resource {unknown}")
