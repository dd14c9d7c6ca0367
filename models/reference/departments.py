"""Departments of the state government and the categories of complaint each handles."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.core.base import Base

assistant_nodal_officers = Table(
    "assistant_nodal_officers",
    Base.metadata,
    Column("department_code", ForeignKey("departments.code"), primary_key=True),
    Column("officer_id", ForeignKey("officers.id"), primary_key=True),
)


class Department(Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_hi: Mapped[str] = mapped_column(String(120))
    nodal_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", use_alter=True), default=None)
    secretary_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", use_alter=True), default=None)

    categories: Mapped[list["Category"]] = relationship(back_populates="department")
    nodal_officer = relationship("Officer", foreign_keys=[nodal_officer_id], post_update=True)
    secretary = relationship("Officer", foreign_keys=[secretary_id], post_update=True)
    assistant_nodal_officers = relationship("Officer", secondary=assistant_nodal_officers)

    def name(self, lang: str = "hi") -> str:
        return self.name_hi if lang == "hi" else self.name_en


class Category(Base):
    """A kind of complaint, the department it goes to, and the working days allowed per level."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    name_en: Mapped[str] = mapped_column(String(160))
    name_hi: Mapped[str] = mapped_column(String(160))
    days_l1: Mapped[int]
    days_l2: Mapped[int]
    days_l3: Mapped[int]
    days_l4: Mapped[int]

    department: Mapped[Department] = relationship(back_populates="categories")

    def days_at(self, level: int) -> int:
        """Working days allowed at level 1..4."""
        return (self.days_l1, self.days_l2, self.days_l3, self.days_l4)[level - 1]

    def name(self, lang: str = "hi") -> str:
        return self.name_hi if lang == "hi" else self.name_en


def all_departments(*, session: Session) -> list[Department]:
    """Every department, by code."""
    return list(session.scalars(select(Department).order_by(Department.code)))


def search_categories(*, session: Session, text: str = "", limit: int = 25) -> list[Category]:
    """Categories whose code or Hindi or English name contains `text`, by code."""
    query = select(Category).order_by(Category.code).limit(limit)
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(or_(Category.code.ilike(pattern), Category.name_en.ilike(pattern),
                                Category.name_hi.ilike(pattern)))
    return list(session.scalars(query))


def all_categories(*, session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.code)))


def get_category(*, session: Session, code: str) -> Category | None:
    return session.get(Category, code)


def categories_of(*, session: Session, department_code: str | None) -> list[Category]:
    """The department's categories, by code."""
    return list(session.scalars(select(Category).where(Category.department_code == department_code)
                                .order_by(Category.code)))


def get_department(*, session: Session, code: str) -> Department | None:
    return session.get(Department, code)


def set_department_officers(*, session: Session, department: Department, nodal_officer: str,
                            assistant_nodal_officers: list[str], secretary: str) -> Department:
    """Name the department's nodal officer, assistant nodal officers and secretary by officer code.

    Each must be an active officer of the department, the secretary at L4, and the nodal officer
    not also an assistant; InvalidField names the field otherwise. The change is audited.
    """
    from models.complaints.intake import InvalidField
    from models.people.officers import Officer

    def officer(code: str, field: str) -> Officer:
        found = session.scalars(select(Officer).where(Officer.code == (code or "").strip())).first()
        if not code:
            raise InvalidField(field, "choose an officer", code="required")
        if found is None or not found.active or found.department_code != department.code:
            raise InvalidField(field, f"{code!r} is not an active officer of {department.code}",
                               code="other_department")
        return found

    nodal = officer(nodal_officer, "nodal_officer")
    top = officer(secretary, "secretary")
    if top.level != 4:
        raise InvalidField("secretary", "the secretary is the department's L4 officer", code="invalid")
    assistants = [officer(code, "assistant_nodal_officers") for code in dict.fromkeys(assistant_nodal_officers) if code]
    if nodal in assistants:
        raise InvalidField("assistant_nodal_officers", "the nodal officer is not also an assistant",
                           code="invalid")
    department.nodal_officer_id, department.secretary_id = nodal.id, top.id
    if {o.id for o in department.assistant_nodal_officers} != {o.id for o in assistants}:
        department.assistant_nodal_officers = assistants
    session.flush()
    return department
