"""New rows written without the unit of work, by Core: for the hot paths only (a registration, a
queued SMS), where the ORM's flush is most of the CPU a request spends.

The mapped classes' Python-side column defaults apply as in a flush (Core applies them). The
session's flush-time hooks (`before_flush`, mapper events) do not run for these rows: use these
for tables that have none, and for classes whose attributes are named as their columns.
Statements are built once per table, so SQLAlchemy compiles each once.
"""

from __future__ import annotations

import functools

from sqlalchemy import insert as core_insert
from sqlalchemy.orm import Session, class_mapper, make_transient_to_detached


def insert_loaded_many(session: Session, model, rows: list[dict]) -> list:
    """`insert_loaded` for several rows of `model` in one statement, in their order."""
    table = model.__table__
    values = [_values(table, row) for row in rows]
    keys = session.connection().execute(_insert_returning(table, sort_by_parameter_order=True), values).scalars()
    return [_loaded(session, model, row, key) for row, key in zip(values, keys, strict=True)]


def insert_loaded(session: Session, model, row: dict):
    """INSERT one row of `model` and return it as an object of the session, as if just loaded: the
    columns not in `row` take their defaults here, so only the primary key comes back."""
    table = model.__table__
    values = _values(table, row)
    return _loaded(session, model, values, session.connection().execute(_insert_returning(table), values).scalar_one())


def _values(table, row: dict) -> dict:
    return {column.key: _value(row, column) for column in table.c if not column.primary_key}


def _loaded(session: Session, model, values: dict, key):
    obj = class_mapper(model).class_manager.new_instance()  # as the ORM's loading makes them: no
    obj.__dict__.update(values, **{_key(model.__table__).key: key})  # __init__, no change events
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


def _value(row: dict, column):
    if column.key in row:
        return row[column.key]
    default = column.default
    if default is None:
        return None
    return default.arg if default.is_scalar else default.arg(None)  # Core's wrapper takes a context


@functools.cache
def _key(table):
    (key,) = table.primary_key.columns
    return key


@functools.cache
def _insert_returning(table, sort_by_parameter_order: bool = False):
    return core_insert(table).returning(_key(table), sort_by_parameter_order=sort_by_parameter_order)
