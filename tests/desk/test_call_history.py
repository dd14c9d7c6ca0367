"""The supervisor's call history: a day's hours and agents on screen, the same as CSV/XLSX."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from models.calls import queue_history
from models.core.db import unit_of_work
from tests.models.test_queue_history import DAY, scripted_day


def test_supervisor_reads_a_day_and_downloads_it(login):
    lines, calls = scripted_day(seed=11)
    with unit_of_work() as uow:
        queue_history.import_lines(session=uow.session, lines=lines)
        uow.commit()
    supervisor = login("supervisor")
    page = supervisor.get(f"/supervisor/history?day={DAY.isoformat()}")
    assert page.status_code == 200 and 'data-hour="total"' in page.text
    assert f"<th>{len(calls)}</th>" in page.text  # offered in the day's row
    answered = sum(c["outcome"] == "answered" for c in calls)
    csv = supervisor.get(f"/supervisor/history?day={DAY.isoformat()}&format=csv")
    assert csv.data.startswith("\ufeff".encode())
    rows = [line.split(",") for line in csv.data.decode("utf-8-sig").splitlines()[1:]]
    assert sum(int(r[1]) for r in rows) == len(calls) and sum(int(r[2]) for r in rows) == answered
    xlsx = supervisor.get(f"/supervisor/history?day={DAY.isoformat()}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sum(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == len(calls)
    assert "भोजन 30.0" in page.text  # Asha's lunch, by its Hindi name, in minutes
    assert supervisor.get("/supervisor/history?day=not-a-day").status_code == 400
    assert login("agent1").get("/supervisor/history").status_code == 403
