"""Reading an uploaded CSV or XLSX of applications: a header row naming the columns, then rows.

A CSV is UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark (what
spreadsheet programs write as "Unicode text"); anything else (Latin-1, Windows-1252) is refused
whole, naming the first row that is not UTF-8. An XLSX's formulas are read as formulas, not as
their last computed values, so an import can refuse them (bulk_import: `formula`, by row and field).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator

log = logging.getLogger(__name__)

COLUMNS = ("citizen_name", "mobile", "district", "block", "address", "category", "description")
ALIASES = {
    "name": "citizen_name", "नाम": "citizen_name", "आवेदक का नाम": "citizen_name",
    "phone": "mobile", "मोबाइल": "mobile", "मोबाइल नंबर": "mobile",
    "जिला": "district", "district_code": "district",
    "विकासखंड": "block", "tehsil": "block", "तहसील": "block",
    "पता": "address",
    "category_code": "category", "श्रेणी": "category", "विषय": "category",
    "विवरण": "description", "complaint": "description", "शिकायत": "description",
}

class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file with a header row naming the columns; `code` says
    what is wrong (wrong_type, not_utf8 with the `row`, empty, unreadable_xlsx, missing_columns)."""

    def __init__(self, message: str, *, code: str, columns: tuple[str, ...] = (), row: int | None = None):
        super().__init__(message)
        self.code = code
        self.columns = ", ".join(columns)
        self.row = row


def _decoded(data: bytes) -> str:
    """The CSV's text: UTF-16 by its byte-order mark, else UTF-8 (a BOM dropped)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("the CSV file is not UTF-16 text", code="not_utf8", row=1) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise UnreadableFile(f"row {row} of the CSV file is not UTF-8 text", code="not_utf8", row=row) from None


def formula_in(row: dict[str, str]) -> str | None:
    """The first column whose value is a spreadsheet formula ("=…"), else None."""
    return next((column for column, value in row.items() if value.startswith("=")), None)


def _column(header: str) -> str:
    name = (header or "").strip().lower().lstrip("\ufeff")
    return ALIASES.get(name, name)


def _check_header(headers: list[str]) -> list[str]:
    columns = [_column(h) for h in headers]
    missing = [c for c in ("mobile", "description") if c not in columns]
    if missing:
        raise UnreadableFile(f"the header row lacks the column(s) {', '.join(missing)}; "
                             f"expected {', '.join(COLUMNS)}", code="missing_columns",
                             columns=tuple(missing))
    return columns


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, values by column) for each non-empty row; the header is row 1."""
    if filename.lower().endswith(".xlsx"):
        return list(_xlsx_rows(data))
    if filename.lower().endswith(".csv"):
        return list(_csv_rows(data))
    raise UnreadableFile("upload a .csv or .xlsx file", code="wrong_type")


def _csv_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(_decoded(data), newline=""))
    header = next(reader, None)
    if header is None:
        raise UnreadableFile("the file is empty", code="empty")
    columns = _check_header(header)
    for number, values in enumerate(reader, start=2):
        if any(v.strip() for v in values):
            yield number, dict(zip(columns, (v.strip() for v in values)))


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True)  # a formula stays "=…", to be refused
    except Exception as exc:
        raise UnreadableFile(f"not a readable XLSX file ({type(exc).__name__})",
                             code="unreadable_xlsx") from None
    rows = book.active.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise UnreadableFile("the sheet is empty", code="empty")
    columns = _check_header([str(h or "") for h in header])
    for number, values in enumerate(rows, start=2):
        cells = ["" if v is None else str(v).strip() for v in values]
        if any(cells):
            yield number, dict(zip(columns, cells))
