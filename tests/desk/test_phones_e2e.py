"""Agents' phones on the local Asterisk, made from the desk: a softphone given by the administrator
registers with the password shown once; the desk page's own WebRTC phone registers over the
WebSocket, rings with a citizen's call through the IVR and the queue (with the screen pop), is
answered in the browser with audio flowing both ways, and hangs up from the desk."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from ivr.ami import queue
from ivr.ami.client import run_action
from models.core.db import unit_of_work
from models.people.phones import AgentPhone
from models.people.users import add_user
from tests.asterisk.conftest import asterisk_settings  # noqa: F401  (fails, never skips, when Asterisk is down)
from tests.asterisk_fixtures import cli, hang_up
from tests.desk.conftest import PASSWORD, csrf_token
from tests.desk.test_browser import log_in as browser_log_in
from tests.desk.test_screen_pop_e2e import citizen_call, desk, wait_for  # noqa: F401  (fixture)
from tests.factories import next_mobile

SOFTPHONE = Path(__file__).parents[1] / "asterisk" / "sipp" / "softphone_register.xml"


@pytest.fixture
def app(desk):
    return desk  # live_server serves this app


def new_agent(phone_interface: str | None = None) -> tuple[int, str]:
    name = f"agent{uuid.uuid4().hex[:8]}"
    with unit_of_work() as uow:
        user = add_user(session=uow.session, username=name, password=PASSWORD, role="agent",
                        full_name="फ़ोन एजेंट", phone_interface=phone_interface)
        uow.commit()
        return user.id, name


def member_status(settings, interface: str) -> str | None:
    response = run_action(settings, queue.status())
    return next((e.get("Status") for e in response.events
                 if e.name == "QueueMember" and e.get("Location") == interface), None)


def sipp_register(tmp_path: Path, user: str, password: str, expires: int) -> subprocess.CompletedProcess:
    assert shutil.which("sipp"), "SIPp is missing: apt-get install sip-tester"
    return subprocess.run(
        ["sipp", "127.0.0.1:5160", "-sf", str(SOFTPHONE), "-i", "127.0.0.1", "-p", "5191", "-m", "1",
         "-key", "user", user, "-au", user, "-ap", password, "-key", "expires", str(expires),
         "-timeout", "10s", "-timeout_error", "-nostdin"],
        cwd=tmp_path, capture_output=True, text=True, timeout=30)


def test_admin_gives_a_softphone_that_registers_with_the_password_shown_once(
        desk, asterisk_settings, tmp_path):
    user_id, name = new_agent()
    admin = desk.test_client()
    token = csrf_token(admin.get("/login").text)
    admin.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    page = admin.post(f"/admin/users/{user_id}/phone",
                      data={"kind": "softphone", "csrf_token": csrf_token(admin.get("/admin/users").text)})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    endpoint = re.search(r'data-phone="user">([^<]+)<', page.text).group(1)
    password = re.search(r'data-phone="password"><code>([^<]+)<', page.text).group(1)
    assert endpoint == f"{name}-{user_id}"
    assert '<p class="ok" data-phone="provisioned">फ़ोन एक्सचेंज पर है' in page.text  # in Hindi
    with unit_of_work() as uow:  # the password itself is stored nowhere
        phone = uow.session.scalars(select(AgentPhone).where(AgentPhone.user_id == user_id)).one()
        assert password not in phone.md5_cred and phone.provisioned_at is not None
    assert password not in admin.get("/admin/users").text  # shown once

    wrong = sipp_register(tmp_path, endpoint, "not-the-password", 60)
    assert wrong.returncode != 0, "a wrong password must not register"
    interface = f"PJSIP/{endpoint}"
    assert sipp_register(tmp_path, endpoint, password, 120).returncode == 0
    run_action(asterisk_settings, queue.add_member(interface=interface, member_name=name))
    try:
        wait_for(lambda: member_status(asterisk_settings, interface) == "1", 10,
                 "the registered softphone to be available in the queue")
        assert sipp_register(tmp_path, endpoint, password, 0).returncode == 0
        wait_for(lambda: member_status(asterisk_settings, interface) in {"4", "5"}, 10,
                 "the unregistered softphone to be unavailable")
    finally:
        run_action(asterisk_settings, queue.remove_member(interface=interface))


def rtp_packets(settings, endpoint: str) -> tuple[int, int] | None:
    """(received, sent) RTP packets of the agent's channel, from `pjsip show channelstats`:
    BridgeId ChannelId UpTime Codec, then Receive Count Lost Pct Jitter, Transmit Count …
    (the ChannelId column is cut at 18 characters)."""
    prefix = f"{endpoint}-"[:12]
    for line in cli(settings, "pjsip show channelstats").splitlines():
        parts = line.split()
        if len(parts) >= 9 and parts[1].startswith(prefix) and parts[4].isdigit():
            return int(parts[4]), int(parts[8])
    return None


def test_the_desk_phone_rings_with_the_screen_pop_and_talks_both_ways(
        desk, live_server, asterisk_settings, phone_browser):
    user_id, name = new_agent()
    endpoint = f"{name}-{user_id}"
    browser_log_in(phone_browser, live_server, name)
    phone = phone_browser.find_element(By.ID, "phone")
    wait_for(lambda: phone.get_attribute("data-state") == "registered", 20,
             "the desk's phone to register over the WebSocket")
    contacts = cli(asterisk_settings, f"pjsip show aor {endpoint}")
    assert "transport=ws" in contacts or ";transport=ws" in contacts.lower(), contacts

    phone_browser.find_element(By.CSS_SELECTOR, "button[name=action][value=log_in]").click()
    interface = f"PJSIP/{endpoint}"
    try:
        wait_for(lambda: member_status(asterisk_settings, interface) == "1", 10,
                 "the browser phone to be available in the queue")
        caller, result = next_mobile(), {}
        ivr_settings = dataclasses.replace(asterisk_settings, database_url=desk.config["DATABASE_URL"])
        call = threading.Thread(target=citizen_call, args=(ivr_settings, caller, result), daemon=True)
        call.start()
        wait_for(lambda: "error" in result or phone.get_attribute("data-state") == "ringing", 120,
                 "the browser to ring")
        assert "error" not in result, result.get("error")
        pop = phone_browser.find_element(By.ID, "pop")
        wait_for(lambda: pop.is_displayed(), 5, "the screen pop with the ringing call")
        assert pop.find_element(By.CSS_SELECTOR, "[data-pop=caller]").text.endswith(caller)

        phone.find_element(By.CSS_SELECTOR, "[data-phone=answer]").click()
        wait_for(lambda: phone.get_attribute("data-state") == "talking", 10, "the call to be answered")
        first = wait_for(lambda: rtp_packets(asterisk_settings, endpoint), 10, "the agent's RTP stats")

        def flowing_both_ways():
            now = rtp_packets(asterisk_settings, endpoint)
            return now if now and now[0] > first[0] + 20 and now[1] > first[1] + 20 else None

        later = wait_for(flowing_both_ways, 10, "RTP to flow both ways on the agent's channel")
        print(f"agent channel RTP received/sent: {first} then {later}")

        phone.find_element(By.CSS_SELECTOR, "[data-phone=hangup]").click()
        wait_for(lambda: phone.get_attribute("data-state") == "ended", 10, "the desk to show the call ended")
        wait_for(lambda: f"PJSIP/{endpoint}-" not in cli(asterisk_settings, "core show channels concise"),
                 10, "the agent's channel to be gone from Asterisk")
        call.join(30)
        assert "error" not in result, result.get("error")
    finally:
        run_action(asterisk_settings, queue.remove_member(interface=interface))
        hang_up(asterisk_settings, f"{interface}-")  # a failed test leaves no call for the next one
