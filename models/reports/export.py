"""A report's table as a download: CSV in UTF-8 with a byte-order mark (so spreadsheet programs
read Devanagari right) or an XLSX workbook (openpyxl). Every text cell that a spreadsheet program
would take for a formula (starting with = + - @, a tab or a carriage return) is written with a
leading apostrophe, so a citizen's or a caller's text is shown, never run."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A cell's value, with a text that would start a formula prefixed by an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cells(row: Sequence) -> list:
    return [neutralised(value) for value in row]


def to_csv(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_cells(headers))
    writer.writerows(_cells(["" if value is None else value for value in row]) for row in rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Sequence[Sequence], title: str = "report") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(_cells(headers))
    for row in rows:
        sheet.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(kind: str, headers: Sequence[str], rows: Sequence[Sequence], title: str = "report") -> bytes:
    """The table as `kind` (csv or xlsx); KeyError for another kind."""
    if kind == "csv":
        return to_csv(headers, rows)
    if kind == "xlsx":
        return to_xlsx(headers, rows, title)
    raise KeyError(kind)
