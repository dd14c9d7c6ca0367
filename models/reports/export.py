"""A report's table as a download: CSV in UTF-8 with a byte-order mark (so spreadsheet programs
read Devanagari right) or an XLSX workbook (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def to_csv(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Sequence[Sequence], title: str = "report") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
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
