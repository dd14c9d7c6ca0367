"""Search complaints, and read one with its history."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import READERS, roles_required
from agent_desk.web.agent import bp
from agent_desk.web.fields import form_date
from agent_desk.web.messages import error_text
from models.complaints import service as complaints
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import OVERSEERS
from models.complaints.search import Query, find
from models.complaints.status import ComplaintStatus
from models.reference.places import districts_in_keypad_order


@bp.get("/search")
@roles_required(*READERS)
def search():
    args = request.args
    rows, total, error = [], 0, None
    searched = any(args.get(k) for k in ("q", "mobile", "name", "district", "status", "from", "to"))
    if searched:
        try:
            query = Query(text=args.get("q", ""), mobile=args.get("mobile", ""), name=args.get("name", ""),
                          district=args.get("district", ""), status=args.get("status", ""),
                          date_from=form_date("from", args.get("from")),
                          date_to=form_date("to", args.get("to")),
                          department=_own_department() or "")
            page = max(int(args.get("page", "1") or 1), 1) if args.get("page", "1").isdigit() else 1
            rows, total = find(session=db.session(), query=query, page=page)
        except InvalidField as exc:
            error = error_text(exc)
    return render_template("agent/search.html", rows=rows, total=total, error=error, searched=searched,
                           statuses=[s.value for s in ComplaintStatus if s is not ComplaintStatus.DRAFT],
                           districts=districts_in_keypad_order(session=db.session())), 400 if error else 200


@bp.get("/complaints/<public_id>")
@roles_required(*READERS)
def complaint(public_id: str):
    found = complaints.get_by_public_id(session=db.session(), public_id=public_id) or abort(404)
    if _own_department() and found.department_code != _own_department():
        abort(404)  # a nodal officer or secretary reads only their department's complaints
    return render_template("agent/complaint.html", c=found)


def _own_department() -> str | None:
    """The department a nodal officer's or secretary's search is limited to; None for the helpline."""
    return current_user.department_code if current_user.role in OVERSEERS else None
