"""The declarative base every table shares, and a UTC timestamp type."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


MAX_ROW_ID = 2**31 - 1  # an integer key's bound on PostgreSQL: a larger asked-for ID is simply not found


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Enums are stored as their values in plain strings: readable in SQL, and a new status
    # needs no ALTER TYPE on PostgreSQL.
    type_annotation_map = {
        datetime: UTCDateTime(),
        enum.Enum: Enum(enum.Enum, native_enum=False, length=30,
                        values_callable=lambda cls: [m.value for m in cls]),
    }


def append_only(model, error: type[Exception], what: str) -> None:
    """Make the session refuse to change or remove a row of `model` (a ledger): it raises `error`."""
    @event.listens_for(model, "before_update")
    def _refuse_update(_mapper, _conn, target):
        raise error(f"{what} row {target.id} cannot be changed")

    @event.listens_for(model, "before_delete")
    def _refuse_delete(_mapper, _conn, target):
        raise error(f"{what} row {target.id} cannot be deleted")
