"""The public grades page (/grades, no login, Hindi first) and its JSON (/grades.json): each
district's and department's monthly grade and headline numbers, with no personal data."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from agent_desk import db
from models.reports.jobs import grading_config
from models.reports.public import public_grades

bp = Blueprint("grades", __name__)


def _data() -> dict:
    return public_grades(session=db.session(), grading=grading_config())


@bp.get("/grades")
def page():
    data = _data()
    month = request.args.get("month") or (data["months"][0] if data["months"] else None)
    if month not in data["months"]:
        month = data["months"][0] if data["months"] else None
    shown = [row for row in data["grades"] if row["month"] == month]
    history: dict[tuple, list] = {}  # (kind, code) -> the earlier months' grades, newest first
    for row in data["grades"]:
        if month and row["month"] < month:
            history.setdefault((row["kind"], row["code"]), []).append((row["month"], row["grade"]))
    return render_template("grades/index.html", data=data, month=month, history=history,
                           districts=[r for r in shown if r["kind"] == "district"],
                           departments=[r for r in shown if r["kind"] == "department"])


@bp.get("/grades.json")
def as_json():
    return jsonify(_data())
