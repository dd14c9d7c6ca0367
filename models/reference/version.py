"""The master data's version: one number that every change to the tables routing reads (the
departments, categories, districts, blocks, officers and the holidays added on screen) moves on.

Database triggers move it (migration 0024), so every writer counts — the admin screens, `helpline
seed`, a script, psql — and a process may keep those rows between requests (`models.complaints.
routing.KeptRoutes`) and learn with one small read whether it must look again.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base

# The tables whose rows routing and the working calendar read.
WATCHED = ("departments", "categories", "districts", "blocks", "officers", "holidays")


class ReferenceVersion(Base):
    __tablename__ = "reference_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # one row, id 1
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def current(*, session: Session) -> int:
    """The master data's version as this transaction sees it (0 before any change)."""
    return session.connection().scalar(_VERSION) or 0  # Core: asked on every registration


_VERSION = select(ReferenceVersion.__table__.c.version).where(ReferenceVersion.__table__.c.id == 1)
