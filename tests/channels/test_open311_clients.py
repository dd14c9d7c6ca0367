"""Published GeoReport v2 clients from PyPI, not written here, against the desk on a real port:
civicbot's Open311Client lists services, posts a request with an api_key and reads it back;
georeport's GeoReport reads services, a definition and the request in JSON and in XML."""

from __future__ import annotations

from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from models.complaints.complaint import Channel
from models.complaints.service import get_by_public_id
from models.core.db import unit_of_work
from tests.channels.test_open311 import api_key  # noqa: F401  (fixture)
from tests.factories import next_mobile


def test_civicbot_lists_posts_with_an_api_key_and_reads_back(live_server, api_key):  # noqa: F811
    endpoint = Endpoint(id="cg-cm-helpline", name="CM Helpline Chhattisgarh",
                        base_url=f"{live_server}/open311/v2", write=True)
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))
    codes = [s["service_code"] for s in client.list_services()]
    assert "PHE-HPM" in codes and "REV-MUT" in codes
    mobile = next_mobile()
    sent = client.create_request(
        "PHE-HPM", dry_run=False, confirm=CONFIRM_TOKEN, api_key=api_key, validate_remote=True,
        lat=21.1, lng=81.7, description="Handpump near the school is broken", phone=mobile,
        first_name="Kamla", attributes={"district": "RPR", "block": "RPR-ABH"})
    request_id = sent.response[0]["service_request_id"]
    with unit_of_work() as uow:
        complaint = get_by_public_id(session=uow.session, public_id=request_id)
        assert complaint.channel is Channel.OPEN311 and complaint.mobile == mobile
    read = client.get_request(request_id)
    assert read["service_request_id"] == request_id and read["status"] == "open"
    assert read["service_code"] == "PHE-HPM" and read["lat"] == 21.1
    listed = client.list_requests(service_request_ids=[request_id])
    assert [r["service_request_id"] for r in listed] == [request_id]


def test_georeport_reads_json_and_xml(live_server, api_key):  # noqa: F811
    with unit_of_work() as uow:
        from tests.factories import make_complaint

        complaint = make_complaint(uow.session)
        uow.commit()
        request_id = complaint.public_id
    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server}/open311/v2", output_format=fmt)
        services = client.get_service_list()
        assert any(s["service_code"] == "REV-MUT" for s in services)
        definition = client.get_service_definition("REV-MUT")
        assert definition["service_code"] == "REV-MUT"
        found = client.get_service_request(request_id)
        assert found["service_request_id"] == request_id and found["status"] == "open"
        assert found["service_code"] == "REV-MUT"
        listed = client.get_service_requests(service_request_id=request_id)
        rows = listed if isinstance(listed, list) else [listed]
        assert [r["service_request_id"] for r in rows] == [request_id]
