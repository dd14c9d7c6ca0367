"""Loads the reference data (districts, departments, categories, demo blocks); idempotent."""

from __future__ import annotations

import csv
import logging
import tomllib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.complaints.intake import clean_text
from models.core.settings import ROOT
from models.reference.departments import Category, Department
from models.reference.places import Block, BlockKind, District

log = logging.getLogger(__name__)
DATA = ROOT / "config" / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _as_stored(model, row: dict) -> dict:
    """The row with each text as stored (models/core/text.py) and within its column's length;
    InvalidField names the column otherwise."""
    columns = model.__table__.columns
    return {name: clean_text(value, field=name, max_length=columns[name].type.length)
            if type(value) is str and getattr(columns[name].type, "length", None) else value
            for name, value in row.items()}


def _upsert(session: Session, model, key: str, rows: list[dict]) -> int:
    """Insert rows whose key is new, update changed fields of the others; returns rows added."""
    existing = {getattr(obj, key): obj for obj in session.scalars(select(model))}
    added = 0
    for row in [_as_stored(model, row) for row in rows]:
        obj = existing.get(row[key])
        if obj is None:
            session.add(model(**row))
            added += 1
        else:
            for name, value in row.items():
                if getattr(obj, name) != value:
                    setattr(obj, name, value)
    session.flush()
    return added


def seed_reference(*, session: Session) -> dict[str, int]:
    """Districts, departments, categories and demo blocks; running it twice changes nothing."""
    districts = [dict(code=r["code"], name_en=r["name_en"], name_hi=r["name_hi"],
                      division=r["division"], keypad=i)
                 for i, r in enumerate(read_csv(DATA / "cg_districts.csv"), start=1)]
    departments = [dict(code=r["code"], name_en=r["name_en"], name_hi=r["name_hi"])
                   for r in read_csv(DATA / "cg_departments.csv")]
    categories = [dict(code=r["code"], department_code=r["department"], name_en=r["name_en"],
                       name_hi=r["name_hi"], days_l1=int(r["days_L1"]), days_l2=int(r["days_L2"]),
                       days_l3=int(r["days_L3"]), days_l4=int(r["days_L4"]))
                  for r in read_csv(DATA / "cg_categories_demo.csv")]
    with (ROOT / "config" / "blocks_demo.toml").open("rb") as fh:
        block_config = tomllib.load(fh)
    blocks = [dict(code=b["code"], district_code=district, name_en=b["name_en"],
                   name_hi=b["name_hi"], kind=BlockKind(b.get("kind", "block")))
              for district, entries in block_config.items() for b in entries]
    counts = {
        "districts": _upsert(session, District, "code", districts),
        "departments": _upsert(session, Department, "code", departments),
        "categories": _upsert(session, Category, "code", categories),
        "blocks": _upsert(session, Block, "code", blocks),
    }
    log.info("reference data added: %s", counts)
    return counts
