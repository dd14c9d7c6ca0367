"""A real browser (Debian's chromium): the secretary logs in, opens the dashboard, sees the
resolved-by-level chart drawn from the JSON, follows a bar to its complaints, and downloads the
XLSX, which openpyxl opens with the same numbers. HELPLINE_SCREENSHOTS=DIR saves the dashboard and
the public grades page (the README shows them)."""

from __future__ import annotations

import base64
import os
import time
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from models.core.db import unit_of_work
from models.reports.grades import compute_month
from models.reports.jobs import grading_config
from tests.desk.conftest import PASSWORD, browser, live_server  # noqa: F401  (fixtures)

RANGE = "from=2025-03-01&to=2025-04-10"


@pytest.fixture
def app(reports_app):
    return reports_app


def screenshot(driver, name: str) -> None:
    folder = os.environ.get("HELPLINE_SCREENSHOTS")
    if not folder:
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": min(height, 2400), "deviceScaleFactor": 1, "mobile": False})
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def test_the_secretary_sees_resolved_by_level_and_downloads_the_xlsx(browser, live_server, tmp_path):  # noqa: F811
    browser.get(f"{live_server}/login?lang=hi")
    browser.find_element(By.NAME, "username").send_keys("secretary.rev")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/officer/"))
    browser.find_element(By.CSS_SELECTOR, 'nav.menu a[href="/reports/"]').click()
    browser.get(f"{browser.current_url}?{RANGE}")

    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "charts").get_attribute("data-drawn"))
    assert browser.find_element(By.ID, "charts").get_attribute("data-drawn") == "yes"
    chart = browser.find_element(By.ID, "chart-resolved")
    assert chart.find_element(By.TAG_NAME, "figcaption").text == "निराकरण का स्तर"
    bars = {a.get_attribute("data-key"): int(a.get_attribute("data-count"))
            for a in chart.find_elements(By.CSS_SELECTOR, "svg a")}
    assert list(bars) == ["L1", "L2", "L3", "L4"] and sum(bars.values()) > 0
    screenshot(browser, "reports-dashboard")

    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.CSS_SELECTOR, '#summary a.download-xlsx').click()
    deadline = time.monotonic() + 15
    while not list(tmp_path.glob("*.xlsx")) and time.monotonic() < deadline:
        time.sleep(0.2)
    [book] = list(tmp_path.glob("*.xlsx"))
    rows = [[cell.value for cell in row] for row in load_workbook(book).active.iter_rows()]
    assert rows[0] == ["माप", "मद", "संख्या"]
    assert {row[1]: row[2] for row in rows if row[0] == "निराकरण का स्तर"} == bars

    level = max(bars, key=bars.get)
    chart.find_element(By.CSS_SELECTOR, f'svg a[data-key="{level}"]').click()
    WebDriverWait(browser, 10).until(EC.url_contains("/reports/complaints"))
    assert browser.find_element(By.ID, "total").text.startswith(str(bars[level]))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#behind tbody tr")) == bars[level]


def test_the_public_grades_page_in_a_browser(browser, live_server):  # noqa: F811
    with unit_of_work() as uow:
        compute_month(session=uow.session, month=date(2025, 3, 1), grading=grading_config())
        uow.commit()
    browser.delete_all_cookies()
    browser.get(f"{live_server}/grades?month=2025-03")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "hi"
    grades = browser.find_elements(By.CSS_SELECTOR, "#district-grades td.grade strong")
    assert grades and {g.text for g in grades} <= set("ABCD")
    screenshot(browser, "grades")
