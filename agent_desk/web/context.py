"""What every template may use: the language, the user's menu, names in the current language."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, request
from flask_babel import get_locale
from flask_login import current_user

from agent_desk.web.access import may_open

MENU = [  # endpoint, label; a user sees the links whose route guard lets their role in
    ("agent.desk", "Call desk"),
    ("agent.register", "New complaint"),
    ("agent.search", "Search"),
    ("supervisor.board", "Queue"),
    ("supervisor.wallboard_page", "Wallboard"),
    ("supervisor.callbacks_list", "Call-backs"),
    ("supervisor.history", "Call history"),
    ("officer.inbox", "My complaints"),
    ("officer.explanations", "Explanations"),
    ("returned.index", "Returned complaints"),
    ("jandarshan.hearings", "Jandarshan"),
    ("admin.users", "Users"),
    ("admin.master", "Master data"),
    ("masteredit.departments", "Departments"),
    ("masteredit.holiday_list", "Holidays"),
    ("masteredit.audit", "Audit trail"),
    ("outbox.index", "SMS outbox"),
    ("whatsapp_outbox.index", "WhatsApp replies"),
    ("jobs.index", "Scheduled jobs"),
    ("reports.dashboard", "Reports"),
]


def lang() -> str:
    return str(get_locale() or "hi")


def pick(obj, lang_code: str | None = None) -> str:
    """The Hindi or English name of anything with name_hi/name_en or designation_hi/_en."""
    if obj is None:
        return ""
    code = lang_code or lang()
    for stem in ("name", "designation"):
        if hasattr(obj, f"{stem}_hi"):
            return getattr(obj, f"{stem}_{'hi' if code == 'hi' else 'en'}")
    return str(obj)


def switch_url(code: str) -> str:
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


def template_globals() -> dict:
    menu = []
    if current_user.is_authenticated:
        menu = [(endpoint, label) for endpoint, label in MENU if may_open(endpoint, current_user.role)]
    return {"lang": lang(), "pick": pick, "menu": menu, "switch_url": switch_url, "mobile_of": mobile_of}


def mobile_of(complaint, number: str | None = None) -> str:
    """The citizen's mobile (or a caller's `number` on the complaint) as the logged-in user may
    see it (models/complaints/masking.py)."""
    from agent_desk import db
    from models.complaints.jurisdiction import actor_for
    from models.complaints.masking import mobile_for

    if "desk_actor" not in g:
        g.desk_actor = actor_for(session=db.session(), user=current_user)
    return mobile_for(g.desk_actor, complaint, number)


def localdate(at) -> str:
    """A UTC timestamp as India time, day first."""
    from models.reference.calendar import to_local

    return to_local(at).strftime("%d-%m-%Y %H:%M") if at else ""


STATUS_HI = {
    "draft": "प्रारूप", "registered": "दर्ज", "assigned": "सौंपी गई", "in_progress": "कार्यवाही जारी",
    "escalated": "उच्च स्तर पर भेजी गई", "returned": "वापस लौटाई गई", "resolved": "निराकृत",
    "reopened": "पुनः खोली गई", "closed": "बंद", "rejected": "अस्वीकृत", "force_closed": "सचिव के आदेश से बंद",
    "with_nodal": "नोडल अधिकारी के पास", "paused": "समय-सीमा रुकी", "special_closed": "विशेष परिस्थिति में बंद",
}


def status_label(status) -> str:
    """A complaint status in the screen's language."""
    value = getattr(status, "value", status)
    return STATUS_HI.get(value, value) if lang() == "hi" else value.replace("_", " ")
