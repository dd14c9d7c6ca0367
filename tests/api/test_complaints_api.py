"""The JSON API: register, read back with history, filter, and name the bad field."""

import pytest

from models.core.db import unit_of_work
from models.people.tokens import create_token
from tests.factories import next_mobile


def new_complaint(**overrides):
    body = {"mobile": next_mobile(), "description": "हैंडपंप दो सप्ताह से खराब है, पानी नहीं मिल रहा",
            "district": "BSP", "block": "BSP-KOT", "category": "PHE-HPM",
            "citizen_name": "कमला यादव", "channel": "portal"}
    body.update(overrides)
    return body


def test_post_registers_and_routes(client, auth):
    response = client.post("/api/v1/complaints", json=new_complaint(), headers=auth)
    assert response.status_code == 201, response.json
    body = response.json
    assert len(body["id"]) == 10 and body["status"] == "assigned" and body["level"] == "L1"
    assert body["department"] == "PHE" and "कोटा" in body["officer"]["designation_hi"]
    assert [h["action"] for h in body["history"]] == ["register", "assign"]
    assert response.headers["Location"].endswith(body["id"])

    again = client.get(f"/api/v1/complaints/{body['id'][:2]}-{body['id'][2:]}", headers=auth)
    assert again.status_code == 200
    assert again.json["description"].startswith("हैंडपंप")  # Devanagari round-trips
    assert "हैंडपंप".encode() in again.data  # and is sent as UTF-8, not \u escapes


@pytest.mark.parametrize("change,field", [
    ({"mobile": "12345"}, "mobile"),
    ({"description": "ab"}, "description"),
    ({"district": "XXX"}, "district"),
    ({"category": "NOPE"}, "category"),
    ({"block": "RPR-ABH"}, "block"),          # a Raipur block for a Bilaspur complaint
    ({"channel": "fax"}, "channel"),
    ({"colour": "red"}, "colour"),
    ({"mobile": 9876543210}, "mobile"),
])
def test_bad_field_is_named(client, auth, change, field):
    response = client.post("/api/v1/complaints", json=new_complaint(**change), headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == field, response.json


def test_nothing_is_written_for_a_bad_request(client, auth):
    before = client.get("/api/v1/complaints?per_page=1", headers=auth).json["total"]
    refused = client.post("/api/v1/complaints", json=new_complaint(mobile="1"), headers=auth).json
    assert (refused["field"], refused["code"]) == ("mobile", "invalid")
    assert client.get("/api/v1/complaints?per_page=1", headers=auth).json["total"] == before


def test_filters_and_paging(client, auth):
    mobile = next_mobile()
    for _ in range(3):
        assert client.post("/api/v1/complaints", json=new_complaint(mobile=mobile),
                           headers=auth).status_code == 201
    page = client.get(f"/api/v1/complaints?mobile={mobile}&per_page=2", headers=auth).json
    assert page["total"] == 3 and len(page["complaints"]) == 2
    page2 = client.get(f"/api/v1/complaints?mobile={mobile}&per_page=2&page=2", headers=auth).json
    assert len(page2["complaints"]) == 1
    combined = client.get(f"/api/v1/complaints?mobile={mobile}&district=BSP&department=PHE"
                          "&level=L1&status=assigned&channel=portal", headers=auth).json
    assert combined["total"] == 3
    assert client.get(f"/api/v1/complaints?mobile={mobile}&district=RPR", headers=auth).json["total"] == 0
    found = client.get("/api/v1/complaints", query_string={"q": "हैंडपंप", "mobile": mobile},
                       headers=auth).json
    assert found["total"] == 3
    assert client.get("/api/v1/complaints?level=L9", headers=auth).json["field"] == "level"


def test_wrong_check_digit_is_refused_before_lookup(client, auth):
    body = client.post("/api/v1/complaints", json=new_complaint(), headers=auth).json
    wrong = body["id"][:-1] + str((int(body["id"][-1]) + 1) % 10)
    response = client.get(f"/api/v1/complaints/{wrong}", headers=auth)
    assert response.status_code == 400 and "check digit" in response.json["error"]
    assert response.json["code"] == "invalid_complaint_id"


def test_tokens_are_required_and_scoped(client, engine):
    assert client.get("/api/v1/complaints").status_code == 401
    assert client.get("/api/v1/complaints", headers={"Authorization": "Bearer nope"}).status_code == 401
    with unit_of_work() as uow:
        open311 = create_token(session=uow.session, name="city", scope="open311")
        uow.commit()
    response = client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {open311}"})
    assert response.status_code == 403


def test_openapi_describes_every_route(client, app):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {"/api/v1" + path for path in spec["paths"]}
    routes = {rule.rule.replace("<complaint_id>", "{id}").replace("<uniqueid>", "{uniqueid}")
              .replace("<int:attachment_id>", "{attachment_id}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes - {"/api/v1/openapi.json"} == documented


def test_healthz_reports_database(client, backend):
    body = client.get("/healthz").json
    assert body["database"]["ok"] is True
    assert body["database"]["dialect"] == backend


def test_the_same_idempotency_key_gets_the_complaint_first_registered(client, auth):
    from uuid import uuid4

    from models.notifications.outbox import OutboxMessage

    key = f"crm-{uuid4().hex}"
    body = new_complaint()
    first = client.post("/api/v1/complaints", json=body, headers={**auth, "Idempotency-Key": key})
    again = client.post("/api/v1/complaints", json=body, headers={**auth, "Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"] and again.headers["Location"] == first.headers["Location"]
    mine = client.get(f"/api/v1/complaints?mobile={body['mobile']}", headers=auth).json
    assert mine["total"] == 1  # one complaint, one history, one SMS
    with unit_of_work() as uow:
        assert uow.session.query(OutboxMessage).filter_by(mobile=body["mobile"], kind="registered").count() == 1
    with unit_of_work() as uow:  # another client's key of the same text is its own
        other = create_token(session=uow.session, name="other-crm", scope="api")
        uow.commit()
    theirs = client.post("/api/v1/complaints", json=body,
                         headers={"Authorization": f"Bearer {other}", "Idempotency-Key": key})
    assert theirs.status_code == 201 and theirs.json["id"] != first.json["id"]
    for bad in ("", "x" * 101, "two words", "कुंजी"):
        refused = client.post("/api/v1/complaints", json=new_complaint(),
                              headers={**auth, "Idempotency-Key": bad.encode().decode("latin-1")})
        assert refused.status_code == 400 and refused.json["field"] == "Idempotency-Key", bad
