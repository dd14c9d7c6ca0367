"""GET /api/v1/reports/<measure>: the numbers by loops over the rows, the scope each token may see,
errors naming the parameter, and the OpenAPI document."""

from __future__ import annotations

from datetime import date

from models.core.db import new_session
from tests.reports import expected

RANGE = "from=2025-03-01&to=2025-04-10"


def test_resolution_levels_by_department(reports_app, token_for):
    body = reports_app.test_client().get(f"/api/v1/reports/resolution-levels?department=REV&{RANGE}",
                                         headers=token_for(None)).get_json()
    with new_session() as session:
        want = expected.summary(session, expected.datetime.now(expected.INDIA), date_from=date(2025, 3, 1),
                                date_to=date(2025, 4, 10), department="REV")
    assert body["department"] == "REV" and body["from"] == "2025-03-01" and body["to"] == "2025-04-10"
    assert body["resolved"] == want["resolved"] and sum(body["resolved"].values()) > 0


def test_summary_and_tables_count_what_loops_count(reports_app, token_for):
    client, auth = reports_app.test_client(), token_for(None)
    body = client.get(f"/api/v1/reports/summary?department=PHE&{RANGE}", headers=auth).get_json()
    with new_session() as session:
        want = expected.summary(session, expected.datetime.now(expected.INDIA), date_from=date(2025, 3, 1),
                                date_to=date(2025, 4, 10), department="PHE")
    for key in ("registered", "open", "closures", "satisfaction", "reopened", "explanations"):
        assert body[key] == want[key], key
    districts = client.get(f"/api/v1/reports/districts?{RANGE}", headers=auth).get_json()["districts"]
    assert sum(row["registered"] for row in districts) == client.get(
        f"/api/v1/reports/summary?{RANGE}", headers=auth).get_json()["registered"] > 0
    jandarshan = client.get(f"/api/v1/reports/summary?channel=cm_jandarshan&{RANGE}", headers=auth).get_json()
    assert 0 < jandarshan["registered"] < sum(row["registered"] for row in districts)


def test_an_officer_token_sees_only_their_department_and_district(reports_app, token_for):
    client = reports_app.test_client()
    secretary = token_for("secretary.rev")
    own = client.get(f"/api/v1/reports/resolution-levels?{RANGE}", headers=secretary)
    assert own.status_code == 200 and own.get_json()["department"] == "REV"
    other = client.get(f"/api/v1/reports/resolution-levels?department=PHE&{RANGE}", headers=secretary)
    assert other.status_code == 403 and other.get_json()["code"] == "not_allowed"
    collector = client.get(f"/api/v1/reports/summary?{RANGE}", headers=token_for("collector.raipur")).get_json()
    assert (collector["department"], collector["district"]) == ("REV", "RPR")
    assert client.get(f"/api/v1/reports/summary?district=BST&{RANGE}",
                      headers=token_for("collector.raipur")).status_code == 403
    own = client.get(f"/api/v1/reports/summary?{RANGE}", headers=token_for("tehsildar.abhanpur")).get_json()
    assert own["department"] == "REV" and 0 < own["registered"] < collector["registered"]


def test_bad_parameters_are_named(reports_app, token_for):
    client, auth = reports_app.test_client(), token_for(None)
    for query, field in (("from=yesterday", "from"), ("from=2025-04-10&to=2025-03-01", "from"),
                         ("department=XYZ", "department"), ("district=ZZZ", "district"),
                         ("channel=fax", "channel")):
        response = client.get(f"/api/v1/reports/summary?{query}", headers=auth)
        assert response.status_code == 400 and response.get_json()["field"] == field, query
    assert client.get("/api/v1/reports/nothing", headers=auth).status_code == 404
    assert client.get("/api/v1/reports/summary?department=rev", headers=auth).get_json()["department"] == "REV"
    assert client.get("/api/v1/reports/summary").status_code == 401


def test_openapi_describes_the_reports(reports_app):
    spec = reports_app.test_client().get("/api/v1/openapi.json").get_json()
    levels = spec["paths"]["/reports/resolution-levels"]["get"]
    assert {p["name"] for p in levels["parameters"]} == {"department", "district", "channel", "from", "to"}
    schema = levels["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]["resolved"]["properties"]) == {"L1", "L2", "L3", "L4"}
    assert {"/reports/summary", "/reports/districts", "/reports/officers", "/reports/overdue"} <= set(spec["paths"])
