"""Bulk import of Jandarshan applications from CSV or XLSX.

Each row is registered in its own savepoint, so a rejected row writes nothing; every row
carries an import key (a hash of the hearing and the row's values) stored with the complaint
it made, so importing the same file again creates no duplicates. Progress is kept on the job
row, committed every batch, for a progress bar to poll.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.complaints.intake import InvalidField
from models.complaints.routing import NoOfficerConfigured
from models.core.base import Base, utcnow
from models.jandarshan.hearings import Hearing, add_application
from models.jandarshan.import_files import COLUMNS, formula_in
from models.reference.departments import Category
from models.reference.places import District

log = logging.getLogger(__name__)

BATCH = 100
SQLITE_PAUSE_S = 0.2
MAX_ERRORS = 10_000
_FIELD_OF = {"district_code": "district", "category_code": "category", "citizen_name": "citizen_name"}


class ImportJob(Base):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued running done failed
    total_rows: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    errors_json: Mapped[str] = mapped_column(Text, default="[]")
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def errors(self) -> list[dict]:
        return json.loads(self.errors_json or "[]")

    def summary(self) -> dict:
        return {"id": self.id, "status": self.status, "filename": self.filename,
                "total": self.total_rows, "processed": self.processed, "imported": self.imported,
                "duplicates": self.duplicates, "rejected": self.rejected, "message": self.message,
                "percent": int(100 * self.processed / self.total_rows) if self.total_rows else
                (100 if self.status == "done" else 0)}


class ImportedRow(Base):
    """The complaint a row of an import made, under the row's import key."""

    __tablename__ = "imported_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_key: Mapped[str] = mapped_column(String(64), unique=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id"), index=True)
    row_number: Mapped[int]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))


def import_key(hearing_id: int, row: dict[str, str]) -> str:
    """The row's identity: the same values at the same hearing give the same key."""
    canonical = "\x1f".join([str(hearing_id)] + [" ".join(row.get(c, "").split()) for c in COLUMNS])
    return hashlib.sha256(canonical.encode()).hexdigest()


class _Lookups:
    """District and category codes by code or Hindi/English name, loaded once per import."""

    def __init__(self, session: Session):
        self.districts: dict[str, str] = {}
        for d in session.scalars(select(District)):
            for key in (d.code, d.name_en, d.name_hi):
                self.districts[key.strip().lower()] = d.code
        self.categories: dict[str, str] = {}
        for c in session.scalars(select(Category)):
            for key in (c.code, c.name_en, c.name_hi):
                self.categories[key.strip().lower()] = c.code

    def district(self, value: str) -> str | None:
        if not value:
            return None
        code = self.districts.get(value.strip().lower())
        if code is None:
            raise InvalidField("district", f"unknown district {value!r}", code="unknown")
        return code

    def category(self, value: str) -> str | None:
        if not value:
            raise InvalidField("category", "a category is required", code="required")
        code = self.categories.get(value.strip().lower())
        if code is None:
            raise InvalidField("category", f"unknown category {value!r}", code="unknown")
        return code


def create_job(*, session: Session, hearing: Hearing, filename: str, user: str) -> ImportJob:
    job = ImportJob(hearing_id=hearing.id, filename=filename, created_by=user)
    session.add(job)
    session.flush()
    return job


def run_import(*, session: Session, job: ImportJob, rows: list[tuple[int, dict[str, str]]],
               actor: str) -> ImportJob:
    """Register each row; commits every BATCH rows so progress is visible."""
    hearing = session.get(Hearing, job.hearing_id)
    lookups = _Lookups(session)
    seen = set(session.scalars(select(ImportedRow.import_key)
                               .where(ImportedRow.hearing_id == hearing.id)))
    errors: list[dict] = []
    pause = SQLITE_PAUSE_S if session.get_bind().dialect.name == "sqlite" else 0.0
    job.status, job.total_rows = "running", len(rows)
    session.commit()
    for index, (number, row) in enumerate(rows, start=1):
        key = import_key(hearing.id, row)
        if key in seen:
            job.duplicates += 1
        else:
            error = _import_row(session, hearing, job, number, row, key, lookups, actor)
            if error is None:
                seen.add(key)
                job.imported += 1
            else:
                job.rejected += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(error)
        job.processed = index
        if index % BATCH == 0:
            job.errors_json = json.dumps(errors, ensure_ascii=False)
            session.commit()
            if pause:
                time.sleep(pause)  # SQLite has one writer: let the desk's requests in between batches
    job.errors_json = json.dumps(errors, ensure_ascii=False)
    job.status, job.finished_at = "done", utcnow()
    session.commit()
    log.info("import %s of hearing %s: %s", job.id, hearing.id, job.summary())
    return job


def _import_row(session: Session, hearing: Hearing, job: ImportJob, number: int,
                row: dict[str, str], key: str, lookups: _Lookups, actor: str) -> dict | None:
    """Register one row in a savepoint; the error (row, field, message, code) when it is rejected."""
    savepoint = session.begin_nested()
    try:
        formula = formula_in(row)
        if formula:
            raise InvalidField(formula, "a spreadsheet formula, not text: paste the values", code="formula")
        complaint = add_application(
            session=session, hearing=hearing, actor=actor, mobile=row.get("mobile", ""),
            description=row.get("description", ""), citizen_name=row.get("citizen_name", ""),
            district_code=lookups.district(row.get("district", "")), block=row.get("block") or None,
            address=row.get("address", ""), category_code=lookups.category(row.get("category", "")))
        session.add(ImportedRow(import_key=key, hearing_id=hearing.id, job_id=job.id,
                                row_number=number, complaint_id=complaint.id))
        savepoint.commit()
        return None
    except InvalidField as exc:
        savepoint.rollback()
        return {"row": number, "field": _FIELD_OF.get(exc.field, exc.field), "message": exc.message,
                "code": exc.code, "limit": exc.limit}
    except NoOfficerConfigured as exc:
        savepoint.rollback()
        return {"row": number, "field": "district", "message": str(exc), "code": exc.code}


def run_job(*, session: Session, job_id: int, rows: list[tuple[int, dict[str, str]]],
            actor: str) -> ImportJob:
    """Run import job `job_id`; a crash marks the job failed with its reason instead of hiding it."""
    try:
        return run_import(session=session, job=session.get(ImportJob, job_id), rows=rows, actor=actor)
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        session.rollback()
        job = session.get(ImportJob, job_id)
        job.status, job.message, job.finished_at = "failed", f"{type(exc).__name__}: {exc}", utcnow()
        session.commit()
        return job


def get_job(*, session: Session, job_id: int) -> ImportJob | None:
    return session.get(ImportJob, job_id)
