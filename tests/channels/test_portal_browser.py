"""A real browser (Debian's chromium) at a phone's size: a citizen lodges a complaint in Hindi with
the keyboard alone (Tab, typing, Enter), gets the ID and follows it at /track; every field has a
label and nothing scrolls sideways. HELPLINE_SCREENSHOTS=DIR saves the screens (docs/ uses them)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.channels.conftest import code_in, last_sms
from tests.factories import next_mobile

PHONE = (390, 844)


def focused(browser):
    return browser.switch_to.active_element


def arrive(browser, path: str, focus: str | None = None) -> None:
    """Wait until the browser is on `path`, the page has loaded and, when `focus` is given, the page's
    autofocus has put the cursor in that field (the URL changes before the new page has loaded)."""
    WebDriverWait(browser, 10).until(lambda b: path in b.current_url and b.execute_script(
        "return document.readyState") == "complete" and (
            focus is None or focused(b).get_attribute("id") == focus))


def tab_to(browser, css: str, limit: int = 40):
    """Press Tab until the element matching `css` has the focus; returns it."""
    target = browser.find_element(By.CSS_SELECTOR, css)
    for _ in range(limit):
        if focused(browser) == target:
            return target
        ActionChains(browser).send_keys(Keys.TAB).perform()  # keys to the page, as a keyboard does
    raise AssertionError(f"Tab never reached {css}")


def unlabelled_fields(browser) -> list[str]:
    return browser.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter(f => !f.labels || f.labels.length === 0 || !f.labels[0].textContent.trim())
          .map(f => f.name || f.id);""")


def no_sideways_scroll(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def screenshot(browser, name: str) -> None:
    folder = os.environ.get("HELPLINE_SCREENSHOTS")
    if not folder:
        return
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": height, "deviceScaleFactor": 1, "mobile": True})
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / f"portal-{name}.png").write_bytes(base64.b64decode(shot["data"]))


def test_a_citizen_lodges_in_hindi_with_the_keyboard_and_tracks_it(browser, live_server):
    browser.set_window_size(*PHONE)
    mobile = next_mobile()
    browser.get(f"{live_server}/portal/?lang=hi")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "hi"
    screenshot(browser, "home")
    tab_to(browser, "a.button[href$='/portal/mobile']").send_keys(Keys.ENTER)

    arrive(browser, "/portal/mobile", focus="mobile")  # the page puts the cursor there
    focused(browser).send_keys(mobile, Keys.ENTER)
    arrive(browser, "/portal/code", focus="code")
    focused(browser).send_keys(code_in(last_sms(mobile, "portal_code")), Keys.ENTER)

    arrive(browser, "/portal/lodge")
    assert browser.find_element(By.TAG_NAME, "h1").text == "नई शिकायत दर्ज करें"
    assert unlabelled_fields(browser) == [] and no_sideways_scroll(browser)
    tab_to(browser, "#citizen_name").send_keys("कमला बाई")
    tab_to(browser, "#district_code").send_keys("रायपुर")
    tab_to(browser, "#block").send_keys("RPR-ABH अभनपुर")
    tab_to(browser, "#category").send_keys("हैंडपंप")
    tab_to(browser, "#description").send_keys("पंचायत भवन के सामने का हैंडपंप एक महीने से बंद पड़ा है")
    screenshot(browser, "lodge")
    tab_to(browser, "#lodge-form button[type=submit]").send_keys(Keys.ENTER)

    arrive(browser, "/portal/done/")
    public_id = browser.find_element(By.ID, "complaint-id").get_attribute("data-id")
    assert len(public_id) == 10 and "शिकायत दर्ज हो गई" in browser.find_element(By.TAG_NAME, "h1").text
    screenshot(browser, "done")
    tab_to(browser, f"a.button[href$='/track?id={public_id}']").send_keys(Keys.ENTER)

    arrive(browser, "/track")
    assert browser.find_element(By.ID, "id").get_attribute("value") == public_id
    tab_to(browser, "#last4").send_keys(mobile[-4:], Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "tracked")))
    assert browser.find_element(By.ID, "tracked-mobile").text == "••••••" + mobile[-4:]
    assert browser.find_element(By.ID, "tracked-name").text == "क••• बा•••"
    steps = [li.get_attribute("data-step") for li in browser.find_elements(By.CSS_SELECTOR, "#timeline li")]
    assert steps[:2] == ["registered", "with_office"]
    assert "विकासखंड अधिकारी" in browser.find_element(By.ID, "timeline").text  # a designation, no name
    assert unlabelled_fields(browser) == [] and no_sideways_scroll(browser)
    screenshot(browser, "track")
