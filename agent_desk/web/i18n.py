"""Hindi or English: `?lang=hi|en` on any page switches, and the choice is remembered."""

from __future__ import annotations

import logging

from flask import request, session
from flask_login import current_user

from agent_desk import db
from models.core.db import unit_of_work
from models.people.users import set_language

log = logging.getLogger(__name__)
LANGUAGES = ("hi", "en")


def select_locale() -> str:
    """The session's choice, else the user's saved one, else Hindi."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    return "hi"


def remember_choice() -> None:
    """Keep a `?lang=` choice in the session and, for a logged-in user, on their account."""
    chosen = request.args.get("lang")
    if chosen not in LANGUAGES:
        return
    session["lang"] = chosen
    if current_user.is_authenticated and current_user.language != chosen:
        with unit_of_work(db.session()) as uow:
            set_language(session=uow.session, user_id=current_user.id, language=chosen)
            uow.commit()
