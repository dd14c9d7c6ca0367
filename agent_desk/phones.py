"""Agents' phones for the desk: issue a credential (models/people/phones.py) and hand the phone to
Asterisk through ARI (ivr/ari/phones.py) in one step. When Asterisk cannot take it, the phone is
kept unprovisioned and the administrator sees it; nothing is lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from ivr.ami.client import AsteriskUnavailable
from ivr.ari import phones as asterisk_phones
from ivr.ari.client import Ari, AriError
from models.people import phones
from models.people.users import User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhoneIssued:
    issued: phones.IssuedPhone
    provisioned: bool


def _ari() -> Ari:
    return Ari.from_settings(current_app.config["HELPLINE_SETTINGS"])


def provision(*, session: Session, phone: phones.AgentPhone) -> bool:
    """Give Asterisk the phone's current credential; False (logged) when it cannot take it."""
    try:
        asterisk_phones.provision(_ari(), endpoint=phone.endpoint, kind=phone.kind.value,
                                  realm=phones.REALM, md5_cred=phone.md5_cred,
                                  display_name=phone.user.full_name)
    except (AsteriskUnavailable, AriError) as exc:
        log.warning("phone %s not provisioned: %s", phone.endpoint, exc)
        return False
    phones.mark_provisioned(session=session, phone=phone)
    return True


def issue(*, session: Session, user: User, kind: str) -> PhoneIssued:
    """A new phone (or a new password) for `user`, in Asterisk at once when it is up."""
    issued = phones.issue_phone(session=session, user=user, kind=kind)
    return PhoneIssued(issued=issued, provisioned=provision(session=session, phone=issued.phone))
