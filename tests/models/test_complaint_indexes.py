"""The complaints' indexes the migrations make are the ones the model declares (names, columns, and
which are partial), on both databases: an index dropped or changed in one and not the other fails here."""

from __future__ import annotations

from sqlalchemy import inspect

from models.complaints.complaint import Complaint
from models.core.schema import metadata


def _declared() -> dict[str, tuple[list[str], bool]]:
    table = metadata.tables[Complaint.__tablename__]
    return {index.name: ([c.name for c in index.columns], index.dialect_options["postgresql"]["where"] is not None)
            for index in table.indexes}


def _migrated(engine) -> dict[str, tuple[list[str], bool]]:
    found = {}
    for index in inspect(engine).get_indexes(Complaint.__tablename__):
        if index.get("duplicates_constraint"):
            continue  # PostgreSQL's unique public ID, a constraint of the table
        options = index.get("dialect_options", {})
        partial = options.get("postgresql_where", options.get("sqlite_where")) is not None
        found[index["name"]] = (index["column_names"], partial)
    return found


def test_the_migrated_complaint_indexes_are_the_models(engine):
    migrated = _migrated(engine)
    assert migrated == _declared()
    assert "ix_complaints_status" not in migrated  # 0026: a prefix of ix_complaints_status_due
    assert migrated["ix_complaints_hearing_id"] == (["hearing_id"], True)
