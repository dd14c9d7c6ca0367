"""Master data from config/data goes in as text is stored (models/core/text.py), each name within
its column's length; an over-long one is refused naming the column and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.complaints.intake import InvalidField
from models.reference.departments import Category, Department
from models.seed.reference import _upsert

DAYS = {"days_l1": 7, "days_l2": 7, "days_l3": 7, "days_l4": 7}


def test_a_departments_and_a_categorys_names_are_stored_clean(session):
    _upsert(session, Department, "code", [{"code": "ZZ1", "name_en": " Water\u200b  Resources\u202e ",
                                           "name_hi": "\ufeffजल संसाधन\u200d"}])
    _upsert(session, Category, "code", [{"code": "ZZ1-NAL", "department_code": "ZZ1", "name_en": "Hand\tpump",
                                         "name_hi": "क\u093cुआँ\u00ad", **DAYS}])
    department, category = session.get(Department, "ZZ1"), session.get(Category, "ZZ1-NAL")
    assert (department.name_en, department.name_hi) == ("Water Resources", "जल संसाधन")
    assert (category.name_en, category.name_hi) == ("Hand pump", "क\u093cुआँ")


def test_an_over_long_category_name_is_refused_naming_it(session):
    with pytest.raises(InvalidField) as refused:
        _upsert(session, Category, "code", [{"code": "ZZ2-NAL", "department_code": "PHE", "name_en": "x",
                                             "name_hi": "न" * 161, **DAYS}])
    assert (refused.value.field, refused.value.code, refused.value.limit) == ("name_hi", "too_long", 160)
    assert session.scalars(select(Category).where(Category.code == "ZZ2-NAL")).first() is None
