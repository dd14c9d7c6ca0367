"""The complaints' and explanations' indexes the migrations make are the ones the model declares
(names, columns, and which are partial), on both databases: an index dropped or changed in one and
not the other fails here."""

from __future__ import annotations

from sqlalchemy import inspect

from models.complaints.complaint import Complaint
from models.complaints.explanations import Explanation
from models.core.schema import metadata


def _declared(name: str = Complaint.__tablename__) -> dict[str, tuple[list[str], bool]]:
    table = metadata.tables[name]
    return {index.name: ([c.name for c in index.columns], index.dialect_options["postgresql"]["where"] is not None)
            for index in table.indexes}


def _migrated(engine, name: str = Complaint.__tablename__) -> dict[str, tuple[list[str], bool]]:
    found = {}
    for index in inspect(engine).get_indexes(name):
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


def test_the_migrated_explanation_indexes_are_the_models(engine):
    migrated = _migrated(engine, Explanation.__tablename__)
    migrated.pop("uq_explanations_complaint_level_round", None)  # SQLite lists the unique constraint's index
    assert migrated == _declared(Explanation.__tablename__)
    # 0029: asking an explanation (the sweep, thousands a pass) writes no entry in these two.
    assert migrated["ix_explanations_submitted_at"] == (["submitted_at"], True)
    assert migrated["ix_explanations_reviewed_at"] == (["reviewed_at"], True)
