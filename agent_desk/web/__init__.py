"""The desk's screens: login, agents, supervisors, officers, Jandarshan, admin, in Hindi and English."""

from __future__ import annotations

import logging

from flask import Flask, has_request_context, request

from agent_desk.web.extensions import babel, csrf, login_manager
from models.people.audit import set_actor_source

log = logging.getLogger(__name__)

# Blueprints whose forms carry a CSRF token; the JSON API and webhooks use bearer tokens instead.
FORM_BLUEPRINTS = {"auth", "agent", "supervisor", "officer", "jandarshan", "admin", "outbox", "returned",
                   "masteredit", "whatsapp_outbox", "jobs"}


def _protect_forms() -> None:
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.blueprint in FORM_BLUEPRINTS:
        csrf.protect()


def _audit_actor() -> str | None:
    """Who the audit trail names for a change made in this request."""
    from flask_login import current_user

    return current_user.actor if has_request_context() and current_user.is_authenticated else None


def init_app(app: Flask) -> None:
    """Sessions, CSRF, languages and one blueprint per audience."""
    from agent_desk.web import (
        admin,
        agent,
        auth,
        errors,
        i18n,
        jandarshan,
        jobs,
        master_edit,
        officer,
        outbox,
        portal,
        returned,
        supervisor,
        whatsapp,
        whatsapp_outbox,
    )
    from agent_desk.web.context import localdate, status_label, template_globals

    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked per blueprint, below
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)  # an agent's shift
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "hi")
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    app.before_request(auth.end_idle_session)
    app.before_request(i18n.remember_choice)
    app.before_request(_protect_forms)
    set_actor_source(_audit_actor)
    app.context_processor(template_globals)
    app.add_template_filter(localdate)
    app.add_template_filter(status_label)
    for module in (auth, agent, supervisor, officer, returned, jandarshan, admin, master_edit, outbox, jobs, errors):
        app.register_blueprint(module.bp)
    app.register_blueprint(portal.bp)    # the citizens' portal and /track: public, CSRF on its forms
    app.register_blueprint(whatsapp.bp)  # the Cloud API webhook: checked by its HMAC instead
    app.register_blueprint(whatsapp_outbox.bp)
    from agent_desk.web import grades, reports

    app.register_blueprint(reports.bp)   # dashboards (GET only: no forms)
    app.register_blueprint(grades.bp)    # the public grades page, no login
    app.add_url_rule("/", "home", auth.home)
