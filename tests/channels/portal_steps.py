"""A citizen's steps on the portal, through the test client (each test its own network address,
so the per-address limits of one test do not spill into the next)."""

from __future__ import annotations

import itertools
import re

from tests.channels.conftest import code_in, csrf_token, last_sms

_addresses = itertools.count(1)
LODGE = {"citizen_name": "रमेश कुमार साहू", "district_code": "RPR", "block": "RPR-ABH",
         "category": "PHE-HPM — हैंडपंप खराब / Handpump not working",
         "description": "गाँव के स्कूल के पास का हैंडपंप दो सप्ताह से खराब है, पानी नहीं आ रहा"}


def new_address() -> dict:
    n = next(_addresses)
    return {"REMOTE_ADDR": f"10.14.{n // 250}.{n % 250 + 1}"}


def post(client, page: str, url: str, data: dict, **kwargs):
    token = csrf_token(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def confirm_mobile(client, mobile: str):
    """Steps 1 and 2: ask for the code, read it from the SMS outbox, type it."""
    response = post(client, "/portal/mobile", "/portal/mobile", {"mobile": mobile})
    assert response.status_code == 302, response.text
    response = post(client, "/portal/code", "/portal/code", {"code": code_in(last_sms(mobile, "portal_code"))})
    assert response.status_code == 302 and response.location.endswith("/portal/lodge"), response.text
    return response


def lodge(client, **fields):
    """Step 3; returns the response (a redirect to the done page when registered)."""
    return post(client, "/portal/lodge", "/portal/lodge", {**LODGE, **fields},
                content_type="multipart/form-data")


def lodged_id(response) -> str:
    assert response.status_code == 302, response.text
    match = re.search(r"/portal/done/(\d{10})$", response.location)
    assert match, response.location
    return match.group(1)
