"""A real browser (Debian's chromium): the L1 officer opens a complaint, adds a note with a photo
and resolves it; the nodal officer re-routes a complaint returned as 'not my department'."""

from __future__ import annotations

import dataclasses

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from models.complaints.notes import attachments_of
from models.complaints.service import get_by_public_id
from models.complaints.transfers import refer_to_nodal
from models.core.db import unit_of_work
from tests.desk.conftest import PASSWORD
from tests.factories import make_complaint
from tests.officer_actors import user_actor

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 512


def log_in(browser, base: str, username: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{base}/login?lang=en")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/officer/"))


def submit(browser, step: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f'form[data-step="{step}"] button').click()


def status_is(browser, status: str):
    return WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, f'#status[data-status="{status}"]')))


def test_l1_notes_with_a_photo_and_resolves_then_the_nodal_officer_reroutes(browser, live_server, app, tmp_path):
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          attachments_dir=tmp_path / "files")
    photo = tmp_path / "site-visit.jpg"
    photo.write_bytes(JPEG)
    with unit_of_work() as uow:
        mine = make_complaint(uow.session)
        returned = make_complaint(uow.session)
        refer_to_nodal(session=uow.session, complaint=returned,
                       actor=user_actor(uow.session, "tehsildar.abhanpur"), reason="यह सीमांकन का मामला है")
        uow.commit()
    try:
        log_in(browser, live_server, "tehsildar.abhanpur")
        browser.get(f"{live_server}/officer/?mine=1&q={mine.public_id}")
        browser.find_element(By.LINK_TEXT, mine.public_id).click()
        status_is(browser, "assigned")
        note = browser.find_element(By.CSS_SELECTOR, 'form[data-step="note"]')
        note.find_element(By.NAME, "note").send_keys("पटवारी के साथ स्थल निरीक्षण किया")
        note.find_element(By.NAME, "attachments").send_keys(str(photo))
        submit(browser, "note")
        link = WebDriverWait(browser, 10).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "#history a.attachment")))
        assert link.text == "site-visit.jpg"
        resolve = browser.find_element(By.CSS_SELECTOR, 'form[data-step="resolve"]')
        resolve.find_element(By.NAME, "resolution").send_keys("नामांतरण पंजी में दर्ज कर दिया गया")
        submit(browser, "resolve")
        status_is(browser, "resolved")
        assert browser.find_elements(By.CSS_SELECTOR, 'form[data-step="resolve"]') == []

        log_in(browser, live_server, "nodal.rev")
        browser.get(f"{live_server}/officer/?status=with_nodal&q={returned.public_id}")
        browser.find_element(By.LINK_TEXT, returned.public_id).click()
        status_is(browser, "with_nodal")
        reroute = browser.find_element(By.CSS_SELECTOR, 'form[data-step="reroute"]')
        Select(reroute.find_element(By.NAME, "category")).select_by_value("REV-DEM")
        submit(browser, "reroute")
        status_is(browser, "assigned")
    finally:
        for user in ("tehsildar.abhanpur", "nodal.rev"):  # the language choice is kept on the account
            log_in(browser, live_server, user)
            browser.get(f"{live_server}/officer/?lang=hi")
    with unit_of_work() as uow:
        done = get_by_public_id(session=uow.session, public_id=mine.public_id)
        assert done.status.value == "resolved" and done.resolved_level == 1
        [attachment] = attachments_of(session=uow.session, complaint=done)
        assert attachment.content_type == "image/jpeg" and (tmp_path / "files" / attachment.stored_name).read_bytes() == JPEG
        moved = get_by_public_id(session=uow.session, public_id=returned.public_id)
        assert moved.status.value == "assigned" and moved.category_code == "REV-DEM"
        assert moved.officer.code == "REV-L1-RPR-ABH"
