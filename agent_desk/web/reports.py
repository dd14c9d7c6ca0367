"""The reports on screen: a department's dashboard (its secretary, nodal officers, L3 officer; an
L2 officer for their district) and the state view (Good Governance, admins), charts drawn in the
browser from /reports/data.json, every table downloadable (?format=csv|xlsx), and the list of
complaints behind each number."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_desk import db
from agent_desk.web.access import REPORTERS, roles_required
from agent_desk.web.context import lang, pick, status_label
from agent_desk.web.messages import error_text
from models.complaints.complaint import Channel
from models.complaints.intake import InvalidField
from models.complaints.jurisdiction import Actor, NotAllowed, actor_for
from models.core.base import utcnow
from models.people.users import Role
from models.reference.calendar import to_local
from models.reference.departments import all_departments
from models.reference.places import districts_in_keypad_order
from models.reports import dashboard as reports
from models.reports import tables
from models.reports.access import allowed_scope, sees_state
from models.reports.drill import complaints_behind
from models.reports.export import CONTENT_TYPES, export
from models.reports.scope import Scope, check_places, parse_scope

bp = Blueprint("reports", __name__, url_prefix="/reports")
LEVELS = ("L1", "L2", "L3", "L4")
# Table columns: key, label, the (measure, key) of the list behind the number.
COLUMNS = [("registered", "Registered", ("registered", "all")), ("open", "Open", ("open", "all")),
           ("overdue", "Overdue", ("overdue", "all")), ("resolved", "Resolved", ("resolved", "all")),
           *((level, level, ("resolved", level)) for level in LEVELS),
           ("satisfied", "Satisfied", ("closure", "satisfied")), ("special", "Special closure", ("closure", "special")),
           ("force", "Force closure", ("closure", "force")), ("reopened", "Reopened", ("reopened", "all"))]
CLOSURE_LABELS = {"satisfied": "Satisfied", "no_response": "No response", "special": "Special closure",
                  "force": "Force closure", "unrecorded": "Closed, type not recorded"}


def _actor() -> Actor:
    return actor_for(session=db.session(), user=current_user)


def _scope(actor: Actor) -> Scope:
    """The scope asked for, narrowed to the actor's; 403 outside it, InvalidField for bad input."""
    try:
        asked = parse_scope(request.args, today=to_local(utcnow()).date())
        return check_places(session=db.session(), scope=allowed_scope(actor, asked))
    except NotAllowed:
        abort(403)


def report_data(actor: Actor, scope: Scope) -> dict:
    """Everything the dashboard shows, as JSON: the summary and its tables."""
    session, now = db.session(), utcnow()
    state = sees_state(actor) and not scope.department
    data = reports.summary(session=session, scope=scope, now=now,
                           with_tables=("districts", "channels", *(("departments",) if state else ())))
    if not state:
        data["officers"] = tables.by_officer(session=session, scope=scope)
    return data


def summary_rows(data: dict) -> list[tuple]:
    """(section, item, value, drill) rows of the summary; drill is (measure, key) or None."""
    rows = [(_("Registered"), "", data["registered"], ("registered", "all"))]
    rows += [(_("Open"), level, data["open"][level], ("open", level)) for level in LEVELS]
    rows += [(_("Open by status"), status_label(status), n, ("open_status", status))
             for status, n in data["open_by_status"].items()]
    rows += [(_("Overdue"), level, data["overdue"][level], ("overdue", level)) for level in LEVELS]
    rows += [(_("Resolved at level"), level, data["resolved"][level], ("resolved", level)) for level in LEVELS]
    rows += [(_("Closures"), _(CLOSURE_LABELS[kind]), n, ("closure", kind)) for kind, n in data["closures"].items()]
    days = data["days_to_resolve"]
    rows += [(_("Days to resolve"), _("Average"), days["average"], None),
             (_("Days to resolve"), _("90th percentile"), days["p90"], None)]
    sat = data["satisfaction"]
    rate = None if sat["rate"] is None else f"{100 * sat['rate']:.1f}%"
    rows += [(_("Satisfaction"), _("Satisfied"), sat["satisfied"], ("closure", "satisfied")),
             (_("Satisfaction"), _("No response"), sat["no_response"], ("closure", "no_response")),
             (_("Satisfaction"), _("Reopenings"), sat["reopenings"], None),
             (_("Satisfaction"), _("Satisfaction rate"), rate, None)]
    share = data["reopened"]["share"]
    rows += [(_("Reopened"), _("Complaints"), data["reopened"]["reopened"], ("reopened", "all")),
             (_("Reopened"), _("Share of resolved"), None if share is None else f"{100 * share:.1f}%", None)]
    labels = {"requested": _("Requested"), "pending": _("Pending"), "overdue": _("Overdue"),
              "accepted": _("Accepted"), "rejected": _("Rejected")}
    rows += [(_("Explanations"), labels[k], n, None) for k, n in data["explanations"].items()]
    labels = {"transferred_out": _("Transferred out"), "transferred_in": _("Transferred in"),
              "returned_to_nodal": _("Not my department"), "sent_back": _("Sent back to the helpline")}
    rows += [(_("Transfers and returns"), labels[k], n, None) for k, n in data["transfers"].items()]
    return rows


def _names() -> dict[str, dict[str, str]]:
    session = db.session()
    return {"district": {d.code: pick(d) for d in districts_in_keypad_order(session=session)},
            "department": {d.code: pick(d) for d in all_departments(session=session)},
            "channel": {c.value: c.label_hi if lang() == "hi" else c.value.replace("_", " ") for c in Channel}}


def _table(data: dict, name: str) -> tuple[list[str], list[list]]:
    """The headers and rows of one table of the dashboard, for a download."""
    if name == "summary":
        return [_("Measure"), _("Item"), _("Number")], [[s, i, v] for s, i, v, _d in summary_rows(data)]
    if name in ("districts", "departments", "channels") and name in data:  # ranked tables
        names = _names()[{"districts": "district", "departments": "department", "channels": "channel"}[name]]
        headers = [_("Rank"), _("Code"), _("Name"), *(_(label) for _k, label, _d in COLUMNS), _("Share resolved")]
        return headers, [[row["rank"], row["code"], names.get(row["code"], row["code"]),
                          *(row[key] for key, _l, _d in COLUMNS), row["resolved_share"]] for row in data[name]]
    if name == "officers" and "officers" in data:
        headers = [_("Officer"), _("Level"), _("Assigned"), _("Holding"), _("Resolved in time"),
                   _("Resolved late"), _("Escalated away"), _("Deadlines missed"), _("Explanations pending"), _("Explanations rejected")]
        return headers, [[designation(row), f"L{row['level']}" if row["level"] else "",
                          *(row[key] for key in tables.OFFICER_COLUMNS)] for row in data["officers"]]
    abort(404)


def designation(row: dict) -> str:
    """An officer row's designation in the screen's language."""
    return row["designation_hi"] if lang() == "hi" else row["designation_en"]


@bp.get("/")
@roles_required(*REPORTERS)
def dashboard():
    actor = _actor()
    try:
        scope = _scope(actor)
    except InvalidField as exc:
        return render_template("reports/dashboard.html", error=error_text(exc), data=None, scope=None), 400
    data = report_data(actor, scope)
    kind = request.args.get("format")
    if kind:
        if kind not in CONTENT_TYPES:
            abort(404)
        table = request.args.get("table", "summary")
        headers, rows = _table(data, table)
        name = f"{table}-{scope.department or 'state'}-{scope.date_from}-{scope.date_to}.{kind}"
        return Response(export(kind, headers, rows, title=table), content_type=CONTENT_TYPES[kind],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return render_template("reports/dashboard.html", data=data, scope=scope, error=None, columns=COLUMNS,
                           rows=summary_rows(data), names=_names(), state=sees_state(actor),
                           departments=all_departments(session=db.session()) if sees_state(actor) else [],
                           params=scope.as_params(), designation=designation)


@bp.get("/data.json")
@roles_required(*REPORTERS)
def data_json():
    actor = _actor()
    try:
        scope = _scope(actor)
    except InvalidField as exc:
        return jsonify({"error": exc.message, "field": exc.field}), 400
    return jsonify(report_data(actor, scope))


@bp.get("/complaints")
@roles_required(*REPORTERS)
def complaints():
    """The complaints behind one number: the same condition its count used."""
    actor = _actor()
    try:
        scope = _scope(actor)
    except InvalidField as exc:
        return render_template("reports/complaints.html", error=error_text(exc), rows=[], total=0), 400
    measure, key = request.args.get("measure", ""), request.args.get("key", "all")
    page = int(request.args["page"]) if request.args.get("page", "").isdigit() else 1
    try:
        rows, total = complaints_behind(session=db.session(), scope=scope, measure=measure, key=key, page=page)
    except (KeyError, ValueError):
        abort(404)
    opens = actor.role in (Role.OFFICER, Role.NODAL_OFFICER, Role.SECRETARY)
    return render_template("reports/complaints.html", rows=rows, total=total, page=page, scope=scope,
                           measure=measure, key=key, error=None, names=_names(),
                           link=(lambda public_id: url_for("officer.complaint", public_id=public_id)) if opens else None,
                           params=scope.as_params())
