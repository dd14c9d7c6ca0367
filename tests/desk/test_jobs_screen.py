"""/admin/jobs: administrators see each scheduled job's schedule, last success and last failure with
its error; on PostgreSQL the failed runs (retried with a POST carrying the form's token, audited) and
the runs stalled by a dead worker; on SQLite that the jobs run in memory in one process. Rows are put
in procrastinate's tables as the engine leaves them (the real worker: tests/test_worker_engine.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from models.core import worker_jobs
from models.core.db import unit_of_work
from models.people.audit import AuditEvent
from tests.desk.conftest import browser_log_in, csrf_token

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
ERROR = "ProgrammingError: relation \"mobile_codes\" does not exist"


def run_in(status: str, *, name: str = "channels-purge", worker_silent_s: int | None = None) -> int:
    """A run of `name` in procrastinate's tables, as the engine leaves one `failed` (its events too)
    or one `doing` on a worker silent for `worker_silent_s` seconds."""
    with unit_of_work() as uow:
        worker = None
        if worker_silent_s is not None:
            worker = uow.session.execute(text(
                "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - make_interval(secs => :s)) "
                "RETURNING id"), {"s": worker_silent_s}).scalar_one()
        run = uow.session.execute(text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, queueing_lock, args, status, attempts, worker_id) "
            "VALUES ('default', :name, :lock, CAST(:args AS jsonb), CAST(:status AS procrastinate_job_status), "
            ":attempts, :worker) RETURNING id"),
            {"name": name, "lock": name, "args": f'{{"timestamp": {int(T0.timestamp())}}}', "status": status,
             "attempts": 3 if status == "failed" else 0, "worker": worker}).scalar_one()
        uow.session.execute(text("INSERT INTO procrastinate_events (job_id, type) VALUES (:id, 'started')"),
                            {"id": run})
        if status == "failed":
            uow.session.execute(text("INSERT INTO procrastinate_events (job_id, type) VALUES (:id, 'failed')"),
                                {"id": run})
            worker_jobs.record_failure(session=uow.session, name=name, error=ERROR, run=run, now=T0)
        uow.commit()
    return run


@pytest.fixture
def registered(app):
    """The jobs as a worker registered them, one that succeeded and one that failed; the engine's
    tables (PostgreSQL) emptied after the test."""
    with unit_of_work() as uow:
        worker_jobs.register(session=uow.session, every_s={"sla-sweep": 60, "channels-purge": 3600}, now=T0)
        worker_jobs.record_success(session=uow.session, name="sla-sweep", rows=7, now=T0)
        worker_jobs.record_failure(session=uow.session, name="channels-purge", error=ERROR, run=None, now=T0)
        uow.commit()
        postgres = uow.session.get_bind().dialect.name == "postgresql"
    yield postgres
    with unit_of_work() as uow:
        uow.session.execute(text("DELETE FROM worker_jobs"))
        if postgres:
            uow.session.execute(text("DELETE FROM procrastinate_jobs"))
            uow.session.execute(text("DELETE FROM procrastinate_workers"))
        uow.commit()


def status_of(run: int) -> str:
    with unit_of_work() as uow:
        return uow.session.execute(text("SELECT status::text FROM procrastinate_jobs WHERE id = :id"),
                                   {"id": run}).scalar_one()


def test_the_jobs_screen_shows_each_job_and_retries_a_failed_run(app, login, registered):
    admin = login("admin")
    html = admin.get("/admin/jobs?lang=hi").text
    assert 'lang="hi"' in html and "निर्धारित कार्य" in html
    assert 'data-job="sla-sweep"' in html and "हर 1 मिनट" in html and "हर 1 घंटे" in html
    assert "29-11-2026 11:30" in html  # India time
    assert ERROR.replace('"', "&#34;") in html
    if not registered:  # SQLite: in memory, nothing to retry
        assert 'id="in-memory"' in html and 'id="failed"' not in html
        page = admin.post("/admin/jobs/1/retry", data={"csrf_token": csrf_token(html)}, follow_redirects=True)
        assert "कार्य एक ही वर्कर प्रक्रिया में मेमोरी में चलते हैं" in page.text
        return
    failed, stalled = run_in("failed"), run_in("doing", name="sla-sweep", worker_silent_s=120)
    alive = run_in("doing", name="sms-sender", worker_silent_s=0)
    html = admin.get("/admin/jobs?lang=hi").text
    assert 'id="in-memory"' not in html
    failed_rows = html.split('id="failed"')[1]
    stalled_rows = html.split('id="stalled"')[1].split('id="failed"')[0]
    assert f'data-run="{failed}"' in failed_rows and ERROR.replace('"', "&#34;") in failed_rows
    assert "विफल हुआ" in failed_rows and "पुनः प्रयास करें" in failed_rows
    assert f'data-run="{stalled}"' in stalled_rows and f'data-run="{alive}"' not in stalled_rows

    forged = admin.post(f"/admin/jobs/{failed}/retry", data={"csrf_token": "forged"})
    assert forged.status_code == 400 and status_of(failed) == "failed"
    token = csrf_token(html)
    done = admin.post(f"/admin/jobs/{failed}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "कार्य फिर से कतार में है" in done.text and status_of(failed) == "todo"
    with unit_of_work() as uow:
        audited = uow.session.query(AuditEvent).filter_by(subject=f"job:{failed}").one()
        assert (audited.actor, audited.action, audited.note) == ("user:admin", "job_retried", "channels-purge")
    again = admin.post(f"/admin/jobs/{failed}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "केवल विफल कार्य ही दोबारा चलाया जा सकता है।" in again.text
    blocked = run_in("failed")  # a run of channels-purge now waits: the lock keeps a second one out
    refused = admin.post(f"/admin/jobs/{blocked}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "इस कार्य का एक रन पहले से प्रतीक्षा में है" in refused.text and status_of(blocked) == "failed"


def test_an_admin_retries_a_failed_run_in_the_browser(browser, live_server, registered):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    failed = run_in("failed") if registered else None
    browser_log_in(browser, live_server, "admin")
    browser.find_element(By.LINK_TEXT, "निर्धारित कार्य").click()  # from the menu
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-job="channels-purge"]')
    assert "mobile_codes" in row.text and "हर 1 घंटे" in row.text
    if failed is None:
        assert "मेमोरी" in browser.find_element(By.ID, "in-memory").text
        assert not browser.find_elements(By.CSS_SELECTOR, "#failed button")
        return
    browser.find_element(By.CSS_SELECTOR, f'#failed tr[data-run="{failed}"] button').click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".flash.ok"), "फिर से कतार में"))
    assert status_of(failed) == "todo"
    assert not browser.find_elements(By.CSS_SELECTOR, f'#failed tr[data-run="{failed}"]')


def test_only_admins_see_or_retry_the_jobs(app, login, registered):
    for username in ("agent1", "supervisor", "nodal.rev"):
        client = login(username)
        assert client.get("/admin/jobs").status_code == 403
        token = csrf_token(client.get("/login").text)
        assert client.post("/admin/jobs/1/retry", data={"csrf_token": token}).status_code == 403
    assert app.test_client().get("/admin/jobs").status_code in (302, 401)
