"""Officers at four levels, each with a jurisdiction: L1 block, L2 district, L3 state HoD, L4 secretary."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.core.base import Base


class Level(enum.IntEnum):
    L1 = 1  # block / tehsil / urban body
    L2 = 2  # district
    L3 = 3  # state head of department
    L4 = 4  # secretary

    @property
    def label(self) -> str:
        return f"L{self.value}"


LEVEL_NAMES = {
    1: ("Block/Tehsil", "विकासखंड/तहसील"),
    2: ("District", "जिला"),
    3: ("Head of Department", "विभागाध्यक्ष"),
    4: ("Secretary", "सचिव"),
}


class Officer(Base):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable key from config/
    name: Mapped[str] = mapped_column(String(120))
    designation_en: Mapped[str] = mapped_column(String(120))
    designation_hi: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), default=None)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"), default=None)
    mobile: Mapped[str | None] = mapped_column(String(15), default=None)
    email: Mapped[str | None] = mapped_column(String(120), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    # Nodal and assistant nodal officers coordinate; complaints are not routed to them.
    receives_complaints: Mapped[bool] = mapped_column(default=True)

    department = relationship("Department", foreign_keys=[department_code])
    district = relationship("District")
    block = relationship("Block")

    def designation(self, lang: str = "hi") -> str:
        return self.designation_hi if lang == "hi" else self.designation_en


def officer_for(*, session: Session, department_code: str, level: int,
                district_code: str | None, block_id: int | None) -> Officer | None:
    """The active officer of the department at `level` whose jurisdiction covers the place."""
    query = select(Officer).where(
        Officer.department_code == department_code, Officer.level == level, Officer.active.is_(True),
        Officer.receives_complaints.is_(True),
    )
    order = [Officer.id]
    if level == 1:
        # The block's own officer, else a district-wide L1 officer (block_id empty): one query.
        district_wide = (Officer.district_code == district_code) & Officer.block_id.is_(None)
        if block_id is None:
            query = query.where(district_wide)
        else:
            query = query.where((Officer.block_id == block_id) | district_wide)
            order.insert(0, Officer.block_id.is_(None))  # false (the block's officer) first
    elif level == 2:
        query = query.where(Officer.district_code == district_code)
    return session.scalars(query.order_by(*order).limit(1)).first()


def officers_of(*, session: Session, department_code: str) -> list[Officer]:
    """The department's active officers, by level then code."""
    return list(session.scalars(select(Officer).where(Officer.department_code == department_code,
                                                      Officer.active.is_(True))
                                .order_by(Officer.level, Officer.code)))
