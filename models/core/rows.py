"""New rows written without the unit of work, by Core: for the hot paths only (a registration, a
queued SMS), where the ORM's flush is most of the CPU a request spends.

The mapped classes' Python-side column defaults apply as in a flush (Core applies them). The
session's flush-time hooks (`before_flush`, mapper events) do not run for these rows: use these
for tables that have none, and for classes whose attributes are named as their columns.
Statements are built once per table, so SQLAlchemy compiles each once.
"""

from __future__ import annotations

import functools

from sqlalchemy import bindparam, select
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


def insert_loaded_together(session: Session, model, row: dict, children: list[tuple[type, list[dict]]],
                           key: str) -> tuple[object, list[list]]:
    """`insert_loaded` of `row` and, for each (class, rows) of `children`, of those rows with the new
    row's primary key in their column `key`; returns the new object and each class's objects.

    On PostgreSQL it is one statement (data-modifying WITH): one round trip where each table took
    one, which matters inside a transaction that holds a lock others queue on. SQLite has no
    INSERT in WITH, and no network between: a statement per table there.
    """
    if session.get_bind().dialect.name != "postgresql":
        parent = insert_loaded(session, model, row)
        parent_key = getattr(parent, _key(model.__table__).key)
        return parent, [insert_loaded_many(session, child, [{**r, key: parent_key} for r in child_rows])
                        for child, child_rows in children]
    shape = tuple((child, len(child_rows)) for child, child_rows in children)
    values = _values(model.__table__, row)
    params = {f"p_{name}": value for name, value in values.items()}
    child_values = []
    for n, (child, child_rows) in enumerate(children):
        child_values.append([_values(child.__table__, {**r, key: None}) for r in child_rows])
        for i, v in enumerate(child_values[-1]):
            params.update((f"c{n}_{i}_{name}", value) for name, value in v.items() if name != key)
    connection = session.connection()
    sql, processors = _together_sql(model, shape, key, connection.dialect)
    for name, process in processors.items():
        params[name] = process(params[name])
    keys = iter(connection.exec_driver_sql(sql, params).one())
    parent_key = next(keys)
    parent = _loaded(session, model, values, parent_key)
    return parent, [[_loaded(session, child, {**v, key: parent_key}, next(keys)) for v in rows_values]
                    for (child, _), rows_values in zip(shape, child_values, strict=True)]


def _together(model, shape: tuple[tuple[type, int], ...], key: str):
    """The one statement of `insert_loaded_together` for `shape` ((class, number of rows), …): a WITH
    per row, each INSERT taking the new parent's key from the first, and their keys selected in
    order."""
    table = model.__table__
    parent = core_insert(table).values({c.key: bindparam(f"p_{c.key}", type_=c.type) for c in _columns(table)})
    parent = parent.returning(_key(table)).cte("parent")
    selected = [parent.c[_key(table).key]]
    for n, (child, count) in enumerate(shape):
        child_table = child.__table__
        columns = [c for c in _columns(child_table) if c.key != key]
        for i in range(count):
            source = select(parent.c[_key(table).key],
                            *(bindparam(f"c{n}_{i}_{c.key}", type_=c.type) for c in columns))
            row = core_insert(child_table).from_select([key, *(c.key for c in columns)], source)
            row = row.returning(_key(child_table)).cte(f"c{n}_{i}")
            selected.append(select(row.c[_key(child_table).key]).scalar_subquery())
    return select(*selected)


@functools.cache
def _together_sql(model, shape: tuple[tuple[type, int], ...], key: str, dialect) -> tuple[str, dict]:
    """`_together`'s SQL (named parameters, as psycopg takes them) and the bind processors of its
    parameters, compiled once per shape, and the same text each time, so psycopg prepares it:
    executing the Core statement would make SQLAlchemy work out its cache key (five WITHs, some
    sixty parameters) on every registration, inside the counter row's lock."""
    compiled = _together(model, shape, key).compile(dialect=dialect)
    processors = {bind.key: bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in compiled.binds.values()}
    return compiled.string, {name: process for name, process in processors.items() if process}


def _columns(table) -> list:
    return [column for column in table.c if not column.primary_key]


def _values(table, row: dict) -> dict:
    return {column.key: _value(row, column) for column in _columns(table)}


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
