"""The desk on its own test database (seeded with demo data once per backend) and logged-in clients."""

from __future__ import annotations

import dataclasses
import re

import pytest

from agent_desk import create_app
from models.core import db as model_db
from models.core.migrate import upgrade
from models.seed import seed
from tests.conftest import fresh_database_url

PASSWORD = "Helpline@2026"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def desk_database_url(backend, tmp_path_factory) -> str:
    """A migrated database with reference data, demo users and 300 demo complaints."""
    url = fresh_database_url(backend, tmp_path_factory, f"helpline_desk_{backend}")
    upgrade(url)
    model_db.configure_engine(url)
    seed(demo=True)
    return url


@pytest.fixture
def recordings(tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    return folder


@pytest.fixture
def app(desk_database_url, recordings):
    # The domain tests' `session` fixture points the process-wide engine at their own database;
    # the factories and unit_of_work() here must write where the desk reads.
    if model_db.get_engine().url.render_as_string(hide_password=False) != desk_database_url:
        model_db.configure_engine(desk_database_url)
    app = create_app({"TESTING": True, "DATABASE_URL": desk_database_url, "SECRET_KEY": "desk-tests"})
    app.config["HELPLINE_SETTINGS"] = dataclasses.replace(app.config["HELPLINE_SETTINGS"],
                                                          recordings_dir=recordings)
    yield app
    bridge = app.extensions.get("helpline_ami_bridge")
    if bridge is not None:
        bridge.stop()


def csrf_token(page_text: str) -> str:
    match = CSRF.search(page_text)
    assert match, "the page has no CSRF token"
    return match.group(1)


def log_in(client, username: str):
    """Log `client` in as a demo user; returns the client."""
    token = csrf_token(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return client


@pytest.fixture
def login(app):
    """login("agent1") -> a test client logged in as that demo user."""
    return lambda username: log_in(app.test_client(), username)


def post_form(client, page: str, url: str, data: dict, **kwargs):
    """GET `page` for its CSRF token, then POST `data` with it to `url`."""
    token = csrf_token(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def live_server(app):
    """The desk on a free loopback port, in a thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="desk-live", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


CHROMIUM_HINT = ("Debian's chromium and chromium-driver are needed for the browser tests: "
                 "apt-get install chromium chromium-driver (scripts/install-system-packages.sh), "
                 "and selenium in the venv (pip install -e '.[test]')")


def chromium(*extra_args: str):
    """Headless Debian chromium driven by selenium, at a call-centre screen's size."""
    import shutil

    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(CHROMIUM_HINT, pytrace=False)
    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.fail(CHROMIUM_HINT, pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768",
                "--lang=en-US", *extra_args):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(2)
    return driver


def browser_log_in(browser, base: str, username: str, lang: str = "hi") -> None:
    """Log `username` in through the login form, in `lang`; returns once the browser has left it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/login?lang={lang}")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_changes(f"{base}/login?lang={lang}"))


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture
def phone_browser():
    """Chromium as an agent's desk phone: a fake microphone (a tone), no permission prompt, WebRTC
    candidates on loopback (where the local Asterisk is), and sound that plays without a click."""
    driver = chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                      "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required")
    yield driver
    driver.quit()
