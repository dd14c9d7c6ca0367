"""Open311 GeoReport v2: services in English and Hindi, a definition with the district list,
requests posted with an api_key and read back in JSON and XML, the standard's error lists."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from models.complaints.complaint import Channel
from models.complaints.service import get_by_public_id
from models.core.db import unit_of_work
from models.people.tokens import create_token
from tests.factories import next_mobile

POST = {"service_code": "PHE-HPM", "attribute[district]": "RPR", "attribute[block]": "RPR-ABH",
        "description": "स्कूल के पास हैंडपंप खराब है, पानी नहीं आ रहा", "first_name": "Kamla",
        "last_name": "Sahu", "lat": "21.1", "long": "81.7"}


@pytest.fixture
def api_key(app) -> str:
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name="municipal-crm", scope="open311")
        uow.commit()
    return token


def errors_of(response) -> list[dict]:
    if response.content_type.startswith("text/xml"):
        root = ET.fromstring(response.data)
        assert root.tag == "errors"
        return [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in root]
    return response.get_json()


def test_services_and_definitions_in_json_xml_and_hindi(client):
    services = client.get("/open311/v2/services.json").get_json()
    handpump = next(s for s in services if s["service_code"] == "PHE-HPM")
    assert handpump["service_name"] == "Handpump broken" and handpump["metadata"] is True
    hindi = client.get("/open311/v2/services.json?locale=hi").get_json()
    assert next(s for s in hindi if s["service_code"] == "PHE-HPM")["service_name"] == "हैंडपंप खराब"
    xml = ET.fromstring(client.get("/open311/v2/services.xml").data)
    assert xml.tag == "services" and xml.find("service/service_code") is not None
    definition = client.get("/open311/v2/services/PHE-HPM.json").get_json()
    district = definition["attributes"][0]
    assert district["code"] == "district" and district["required"] is True
    assert {"key": "RPR", "name": "Raipur"} in district["values"]
    missing = client.get("/open311/v2/services/NOPE-X.xml")
    assert missing.status_code == 404 and errors_of(missing)[0]["code"] == 404
    nothing = client.get("/open311/v2/tokens/abc.xml")
    assert nothing.status_code == 404 and errors_of(nothing)[0]["code"] == 404
    assert client.get("/open311/v2/services.csv").get_json()[0]["code"] == 404
    discovery = client.get("/open311/v2/discovery.json").get_json()
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2/")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_posted_request_round_trips(client, api_key, fmt):
    mobile = next_mobile()
    posted = client.post(f"/open311/v2/requests.{fmt}", data={**POST, "api_key": api_key, "phone": mobile})
    assert posted.status_code == 201, posted.text
    if fmt == "json":
        request_id = posted.get_json()[0]["service_request_id"]
    else:
        request_id = ET.fromstring(posted.data).findtext("request/service_request_id")
    with unit_of_work() as uow:
        complaint = get_by_public_id(session=uow.session, public_id=request_id)
        assert complaint.channel is Channel.OPEN311 and complaint.mobile == mobile
        assert complaint.citizen_name == "Kamla Sahu" and complaint.block.code == "RPR-ABH"

    read = client.get(f"/open311/v2/requests/{request_id}.{fmt}?api_key={api_key}")
    assert read.status_code == 200
    if fmt == "json":
        found = read.get_json()[0]
    else:
        root = ET.fromstring(read.data)
        assert root.tag == "service_requests"
        found = {child.tag: child.text for child in root.find("request")}
    assert found["service_request_id"] == request_id and found["status"] == "open"
    assert found["service_code"] == "PHE-HPM" and found["description"] == POST["description"]
    assert float(found["lat"]) == 21.1 and mobile not in read.text and "Kamla" not in read.text
    public = client.get(f"/open311/v2/requests/{request_id}.json").get_json()[0]
    assert public["description"] is None  # the citizen's words only with an api_key

    listed = client.get("/open311/v2/requests.json?service_code=PHE-HPM&status=open").get_json()
    assert request_id in [r["service_request_id"] for r in listed]
    closed = client.get(f"/open311/v2/requests.json?service_request_id={request_id}&status=closed").get_json()
    assert [r["service_request_id"] for r in closed] == [request_id]  # the ids override the rest


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_requests_get_the_standards_error_list(client, api_key, fmt):
    url = f"/open311/v2/requests.{fmt}"
    no_key = client.post(url, data={**POST, "phone": next_mobile()})
    assert no_key.status_code == 400 and "api_key" in errors_of(no_key)[0]["description"]
    wrong_key = client.post(url, data={**POST, "phone": next_mobile(), "api_key": "hl_not-a-key"})
    assert wrong_key.status_code == 403 and errors_of(wrong_key) == [
        {"code": 403, "description": "api_key is not valid"}]
    no_phone = client.post(url, data={**POST, "api_key": api_key})
    assert no_phone.status_code == 400 and errors_of(no_phone)[0]["description"].startswith("phone:")
    no_district = client.post(url, data={**POST, "attribute[district]": "", "api_key": api_key,
                                         "phone": next_mobile()})
    assert errors_of(no_district)[0]["description"].startswith("attribute[district]:")
    unknown = client.post(url, data={**POST, "service_code": "XXX-YYY", "api_key": api_key,
                                     "phone": next_mobile()})
    assert unknown.status_code == 404 and errors_of(unknown)[0]["code"] == 404
    bad_lat = client.post(url, data={**POST, "lat": "north", "api_key": api_key, "phone": next_mobile()})
    assert bad_lat.status_code == 400 and errors_of(bad_lat)[0]["description"].startswith("lat:")
    span = client.get(f"/open311/v2/requests.{fmt}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z")
    assert span.status_code == 400 and "90 days" in errors_of(span)[0]["description"]
    bad_status = client.get(f"/open311/v2/requests.{fmt}?status=pending")
    assert bad_status.status_code == 400 and "open or closed" in errors_of(bad_status)[0]["description"]
    mistyped = client.get(f"/open311/v2/requests/2600000019.{fmt}")
    assert mistyped.status_code == 400 and "check digit" in errors_of(mistyped)[0]["description"]
