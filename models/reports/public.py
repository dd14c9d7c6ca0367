"""What the public grades page shows: each district's and department's grade and headline numbers
for the latest months — counts only, never a person, a number to call or a complaint's words."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.reference.departments import all_departments
from models.reference.places import districts_in_keypad_order
from models.reports.grades import stored
from models.reports.grading import Grading

HEADLINES = ("registered", "resolved", "resolved_in_time", "satisfaction_rate")


def public_grades(*, session: Session, grading: Grading, months: int = 6) -> dict:
    """{"months": [...], "grades": [row, ...], "formula": {...}}, the newest month first."""
    names = {("district", d.code): d for d in districts_in_keypad_order(session=session)}
    names.update({("department", d.code): d for d in all_departments(session=session)})
    rows = []
    for grade in stored(session=session, months=months):
        place = names.get((grade.kind, grade.code))
        rows.append({"month": grade.month.strftime("%Y-%m"), "kind": grade.kind, "code": grade.code,
                     "name_hi": place.name_hi if place else grade.code,
                     "name_en": place.name_en if place else grade.code,
                     "grade": grade.grade, "score": grade.score,
                     **{key: (grade.figures or {}).get(key) for key in HEADLINES}})
    return {"months": sorted({row["month"] for row in rows}, reverse=True), "grades": rows,
            "formula": {"weights": grading.weights, "thresholds": grading.thresholds,
                        "old_days": grading.old_days}}
