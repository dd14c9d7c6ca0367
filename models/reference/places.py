"""Places: the 33 districts of Chhattisgarh, and the blocks, tehsils and urban bodies below them."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.core.base import Base


class BlockKind(str, enum.Enum):
    BLOCK = "block"
    TEHSIL = "tehsil"
    URBAN_BODY = "urban_body"


class District(Base):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80), unique=True)
    name_hi: Mapped[str] = mapped_column(String(80), unique=True)
    division: Mapped[str] = mapped_column(String(40))
    keypad: Mapped[int] = mapped_column(unique=True)  # the number a caller keys on the IVR list

    blocks: Mapped[list["Block"]] = relationship(back_populates="district", order_by="Block.name_en")

    def name(self, lang: str = "hi") -> str:
        return self.name_hi if lang == "hi" else self.name_en


class Block(Base):
    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    kind: Mapped[BlockKind] = mapped_column(default=BlockKind.BLOCK)
    name_en: Mapped[str] = mapped_column(String(80))
    name_hi: Mapped[str] = mapped_column(String(80))

    district: Mapped[District] = relationship(back_populates="blocks")


def districts_in_keypad_order(*, session: Session) -> list[District]:
    """All districts in the order the IVR reads them: the key is the index plus one."""
    return list(session.scalars(select(District).order_by(District.keypad)))


def get_district(*, session: Session, code: str) -> District | None:
    """The district with this code, or None."""
    return session.get(District, code)


def blocks_of(*, session: Session, district_code: str) -> list[Block]:
    """The district's blocks, tehsils and urban bodies, by English name."""
    return list(session.scalars(select(Block).where(Block.district_code == district_code.upper())
                                .order_by(Block.name_en)))


def find_block(*, session: Session, district_code: str, name_or_code: str) -> Block | None:
    """A block of the district by its code or its Hindi or English name."""
    text = name_or_code.strip()
    return session.scalars(
        select(Block).where(
            Block.district_code == district_code,
            (Block.code == text) | (Block.name_en == text) | (Block.name_hi == text),
        )
    ).first()
