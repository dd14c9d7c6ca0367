"""Every route of the app (read from its URL map, so a new one cannot be forgotten), every method,
requested anonymously and as every role: the login page or 401 for nobody, 403 for a role that may
not, never a 500. Public routes are named here, one by one; the JSON API is tried with each token scope."""

from __future__ import annotations

import re

import pytest

from agent_desk.web.access import ADMINS, AGENTS, JANDARSHAN, OFFICERS, READERS, REPORTERS, SUPERVISORS
from models.core.db import unit_of_work
from models.people.tokens import create_token
from models.people.users import Role
from tests.desk.conftest import csrf_token

# One demo user per role (models/seed/demo.py).
ROLE_USERS = {Role.AGENT: "agent1", Role.SUPERVISOR: "supervisor", Role.OFFICER: "tehsildar.abhanpur",
              Role.NODAL_OFFICER: "nodal.rev", Role.SECRETARY: "secretary.rev",
              Role.JANDARSHAN_OPERATOR: "jandarshan.raipur", Role.ADMIN: "admin",
              Role.GOOD_GOVERNANCE: "goodgov"}

# Who may use each desk blueprint, as docs/desk.md's table says; a route that admits anyone else fails.
BLUEPRINT_ROLES = {
    "agent": set(READERS), "supervisor": set(SUPERVISORS), "officer": set(OFFICERS),
    "returned": {Role.AGENT, Role.SUPERVISOR, Role.ADMIN}, "jandarshan": set(JANDARSHAN),
    "admin": set(ADMINS), "masteredit": set(ADMINS), "outbox": set(ADMINS), "whatsapp_outbox": set(ADMINS),
    "jobs": set(ADMINS), "reports": set(REPORTERS),
}
# Routes open to everyone, by design: the citizens' side, machine-to-machine endpoints with their
# own keys, health, static files, the login page and the start page (which redirects).
PUBLIC = {"home", "static", "health.healthz", "auth.login", "auth.logout", "grades.page", "grades.as_json",
          "portal.home", "portal.code", "portal.done", "portal.lodge", "portal.mobile", "portal.track",
          "whatsapp.verify", "whatsapp.deliver", "api.openapi_json"}
PUBLIC_BLUEPRINTS = {"open311"}  # GET is public; POST needs an api_key (checked below)
API = "api"  # bearer tokens only

SAMPLE = {"public_id": "0000000000", "complaint_id": "0000000000", "uniqueid": "0.0", "int": "999999",
          "username": "agent1", "code": "REV", "day": "2026-01-26", "fmt": "json", "request_id": "0",
          "unknown": "nothing", "filename": "desk.css"}
ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _url(rule) -> str:
    def value(match):
        converter, name = match.group(1), match.group(2)
        return SAMPLE["int"] if converter == "int" else SAMPLE.get(name, "x")
    return ARG.sub(value, rule.rule)


def _requests(app):
    """(endpoint, method, url) for every rule and method of the app."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, _url(rule)))
    return sorted(out, key=lambda r: (r[2], r[1]))


def _send(client, method, url, token):
    if method == "GET":
        response = client.get(url, buffered=False)  # the agent's event stream never ends
    else:
        response = client.open(url, method=method, data={"csrf_token": token})
    status, location = response.status_code, response.headers.get("Location", "")
    response.close()
    return status, location


def _client(app, username=None):
    client = app.test_client()
    if username:
        from tests.desk.conftest import log_in
        log_in(client, username)
    return client, csrf_token(client.get("/login").text)


def test_every_desk_blueprint_admits_exactly_the_documented_roles(app):
    wrong = []
    for endpoint, view in app.view_functions.items():
        blueprint = endpoint.split(".", 1)[0]
        if endpoint in PUBLIC or blueprint in PUBLIC_BLUEPRINTS or blueprint == API:
            continue
        allowed = getattr(view, "allowed_roles", None)
        if allowed is None or blueprint not in BLUEPRINT_ROLES or not set(allowed) <= BLUEPRINT_ROLES[blueprint]:
            wrong.append((endpoint, sorted(r.value for r in allowed or ())))
    assert not wrong, f"routes neither public nor guarded as documented: {wrong}"


def test_the_role_by_route_matrix(app):
    """Anonymous: the login page (401 for .json); a role not allowed: 403; allowed: past the guard; no 500."""
    requests = [r for r in _requests(app) if r[0] not in PUBLIC and r[0].split(".")[0] not in PUBLIC_BLUEPRINTS | {API}]
    clients = {None: _client(app)} | {role: _client(app, name) for role, name in ROLE_USERS.items()}
    failures, checked = [], 0
    for endpoint, method, url in requests:
        allowed = app.view_functions[endpoint].allowed_roles
        for role, (client, token) in clients.items():
            if method != "GET" and role in allowed:
                continue  # an allowed POST would act; the feature tests cover those
            status, location = _send(client, method, url, token)
            checked += 1
            if role is None:
                ok = (status == 302 and "/login" in location) or status == 401
            elif role in allowed:
                ok = status < 500 and status != 403 and "/login" not in location
            else:
                ok = status == 403
            if not ok:
                failures.append((role and role.value, method, url, status, location))
    assert not failures, failures
    print(f"route matrix: {len(requests)} guarded requests x 9 callers, {checked} checked")
    assert checked > 500 and len(requests) > 60, (checked, len(requests))


def test_public_routes_answer_anonymous_callers_without_a_crash(app):
    client, token = _client(app)
    failures = []
    for endpoint, method, url in _requests(app):
        if endpoint not in PUBLIC and endpoint.split(".")[0] not in PUBLIC_BLUEPRINTS:
            continue
        status, location = _send(client, method, url, token)
        if status >= 500 or (method == "GET" and endpoint != "home" and "/login" in location):
            failures.append((method, url, status, location))
    assert not failures, failures
    # What needs a key refuses without one.
    assert client.post("/open311/v2/requests.json", data={"service_code": "PHE-HPM"}).status_code in (400, 403)
    assert client.post("/webhooks/whatsapp", data=b"{}").status_code in (401, 403)


@pytest.fixture
def tokens(app):
    with unit_of_work() as uow:
        made = {scope: create_token(session=uow.session, name=f"matrix-{scope}", scope=scope)
                for scope in ("api", "open311")}
        made["officer"] = create_token(session=uow.session, name="matrix-officer", scope="officer",
                                       officer_login="tehsildar.abhanpur")
        uow.commit()
    return made


def test_the_json_api_answers_only_bearer_tokens(app, tokens):
    """No token or a desk session: 401; an Open311 key: 403; an api or officer token: past the guard."""
    requests = [r for r in _requests(app) if r[0].split(".")[0] == API and r[0] not in PUBLIC]
    desk, _token = _client(app, "admin")
    failures = []
    for endpoint, method, url in requests:
        body = {"json": {}} if method == "POST" else {}
        for who, client, headers, expect in (
                ("anonymous", app.test_client(), {}, {401}),
                ("admin's desk session", desk, {}, {401}),
                ("forged token", app.test_client(), {"Authorization": "Bearer hl_forged"}, {401}),
                ("open311 key", app.test_client(), {"Authorization": f"Bearer {tokens['open311']}"}, {403})):
            status = client.open(url, method=method, headers=headers, **body).status_code
            if status not in expect:
                failures.append((who, method, url, status))
        for scope in ("api", "officer"):
            status = app.test_client().open(url, method=method, headers={"Authorization": f"Bearer {tokens[scope]}"},
                                            **body).status_code
            if status >= 500 or status == 401 or (status == 403 and scope == "api"):
                failures.append((scope, method, url, status))
    assert not failures, failures
    assert len(requests) >= 20
