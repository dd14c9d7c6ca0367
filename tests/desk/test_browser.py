"""A real browser (Debian's chromium): log in, switch to Hindi, see the form; a screen pop arrives."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from models.complaints.service import create_draft, get_by_public_id, set_transcript
from models.core.db import unit_of_work
from tests.desk.conftest import PASSWORD
from tests.factories import next_mobile


def log_in(browser, base: str, username: str) -> None:
    browser.get(f"{base}/login?lang=en")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/agent/"))


def no_sideways_scroll(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_agent_logs_in_switches_to_hindi_and_sees_the_form(browser, live_server):
    log_in(browser, live_server, "agent1")
    browser.get(f"{live_server}/agent/register")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Register a complaint"
    browser.find_element(By.CSS_SELECTOR, "a.lang[lang=hi]").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "शिकायत दर्ज करें"))
    browser.get(f"{live_server}/agent/register")  # remembered without ?lang
    assert browser.find_element(By.TAG_NAME, "h1").text == "शिकायत दर्ज करें"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "hi"
    for name in ("mobile", "district_code", "category", "description"):
        assert browser.find_element(By.NAME, name).is_displayed()
    assert no_sideways_scroll(browser)
    # Category search fills the datalist from the Hindi/English endpoint.
    browser.find_element(By.NAME, "category").send_keys("नामांतरण")
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(
        "return [...document.querySelectorAll('#category-list option')].some(o => o.value.startsWith('REV-MUT'))"))
    browser.set_window_size(390, 844)  # a phone
    browser.get(f"{live_server}/agent/register")
    assert browser.find_element(By.NAME, "mobile").is_displayed() and no_sideways_scroll(browser)


def test_screen_pop_reaches_the_browser_within_a_second(browser, live_server, app):
    mobile = next_mobile()
    with unit_of_work() as uow:
        draft = create_draft(session=uow.session, mobile=mobile, district_code="RPR")
        uow.commit()
    log_in(browser, live_server, "agent1")  # lands on the call desk, in English
    WebDriverWait(browser, 10).until(lambda b: b.execute_script(
        "return window.deskEvents && window.deskEvents.readyState === 1"))  # the stream is open
    fanout = app.extensions["helpline_fanout"]
    assert fanout.listeners("agent1") == 1
    started = time.monotonic()
    fanout.publish("agent1", {"type": "pop", "event": "AgentCalled", "draft": draft.public_id,
                              "caller": mobile, "uniqueid": "x"})
    WebDriverWait(browser, 1.0, poll_frequency=0.05).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-pop="draft"]'), draft.public_id))
    assert time.monotonic() - started < 1.0
    assert browser.find_element(By.CSS_SELECTOR, '[data-pop="caller"]').text == mobile
    assert browser.find_element(By.CSS_SELECTOR, '[data-pop="district"]').text == "Raipur"
    link = browser.find_element(By.CSS_SELECTOR, '[data-pop="register"]')
    assert link.get_attribute("href").endswith(f"/agent/register?draft={draft.public_id}")


def test_transcript_appears_on_the_form_when_speech_finishes(browser, live_server):
    mobile = next_mobile()
    with unit_of_work() as uow:
        draft = create_draft(session=uow.session, mobile=mobile, district_code="RPR")
        uow.commit()
    log_in(browser, live_server, "agent1")
    browser.get(f"{live_server}/agent/register?draft={draft.public_id}")
    assert browser.find_element(By.ID, "transcript").get_attribute("data-ready") == "0"
    with unit_of_work() as uow:
        set_transcript(session=uow.session, complaint=get_by_public_id(session=uow.session, public_id=draft.public_id),
                       text="मेरे गाँव का हैंडपंप खराब है", confidence=0.71)
        uow.commit()
    WebDriverWait(browser, 6).until(EC.text_to_be_present_in_element((By.ID, "transcript"), "हैंडपंप"))
    browser.find_element(By.ID, "use-transcript").click()
    assert browser.find_element(By.NAME, "description").get_attribute("value") == "मेरे गाँव का हैंडपंप खराब है"
