"""Jandarshan imports of hostile files: UTF-16 and UTF-8 with a byte-order mark are read; Latin-1 is
refused whole, naming the row; spreadsheet formulas are refused by row and field; wrong columns are
refused naming them. A refused file or row writes nothing."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from models.complaints.complaint import Complaint
from models.core.db import unit_of_work
from tests.desk.conftest import post_form
from tests.desk.test_jandarshan import new_hearing, upload

ROWS = [["citizen_name", "mobile", "block", "category", "description"],
        ["सुनीता वर्मा", "9826099101", "RPR-ABH", "REV-MUT", "नामांतरण लंबित है"],
        ["José Señor", "9826099102", "RPR-ABH", "PHE-HPM", "हैंडपंप खराब है"]]


def _csv(rows) -> str:
    return "".join(",".join(row) + "\r\n" for row in rows)


def _xlsx(rows) -> bytes:
    book, out = Workbook(), io.BytesIO()
    for row in rows:
        book.active.append(row)
    book.save(out)
    return out.getvalue()


def _complaints(hearing: int) -> int:
    with unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Complaint).where(Complaint.hearing_id == hearing))


def _refused(operator, hearing: int, name: str, data: bytes) -> str:
    response = post_form(operator, f"/jandarshan/hearings/{hearing}", f"/jandarshan/hearings/{hearing}/imports",
                         {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith(f"/jandarshan/hearings/{hearing}")
    return operator.get(response.location).text


def test_utf16_and_a_byte_order_mark_are_read(login):
    operator = login("jandarshan.raipur")
    for encoding in ("utf-16", "utf-8-sig"):
        hearing = new_hearing(operator, "collector", "RPR")
        job = upload(operator, hearing, "applications.csv", _csv(ROWS).encode(encoding))
        assert (job["status"], job["imported"], job["rejected"]) == ("done", 2, 0), (encoding, job)
        assert _complaints(hearing) == 2


def test_latin1_is_refused_whole_naming_the_row(login):
    operator = login("jandarshan.raipur")
    hearing = new_hearing(operator, "collector", "RPR")
    latin = _csv([ROWS[0], ["Ram", "9826099103", "RPR-ABH", "REV-MUT", "mutation pending"], ROWS[2]])
    page = _refused(operator, hearing, "applications.csv", latin.encode("latin-1", "replace"))
    assert "CSV फ़ाइल की पंक्ति 3 UTF-8 पाठ नहीं है" in page
    assert _complaints(hearing) == 0  # not even the good row 2


def test_wrong_columns_are_refused_naming_them(login):
    operator = login("jandarshan.raipur")
    hearing = new_hearing(operator, "collector", "RPR")
    page = _refused(operator, hearing, "applications.csv", _csv([["name", "phone_number"], ["x", "y"]]).encode())
    assert "mobile, description" in page and _complaints(hearing) == 0


def test_formulas_are_refused_by_row_and_field(login):
    operator = login("jandarshan.raipur")
    hearing = new_hearing(operator, "collector", "RPR")
    job = upload(operator, hearing, "applications.xlsx", _xlsx(ROWS + [
        ["=A2&A3", "9826099104", "RPR-ABH", "REV-MUT", "नाम सूत्र से बना"],
        ["कमला", "9826099105", "RPR-ABH", "REV-MUT", '=HYPERLINK("http://evil.example","क्लिक")']]))
    assert (job["imported"], job["rejected"]) == (2, 2)
    assert [(e["row"], e["field"], e["code"]) for e in job["errors"]] == [(4, "citizen_name", "formula"),
                                                                        (5, "description", "formula")]
    assert "स्प्रेडशीट का सूत्र" in job["errors"][1]["message"]
    assert _complaints(hearing) == 2
    csv_hearing = new_hearing(operator, "collector", "RPR")
    rows = ROWS + [["कमला", "9826099106", "RPR-ABH", "REV-MUT", "=1+1"]]
    job = upload(operator, csv_hearing, "applications.csv", _csv(rows).encode())
    assert (job["imported"], job["rejected"], job["errors"][0]["row"]) == (2, 1, 4)
