"""Whose screens and answers carry a citizen's full mobile number (docs/desk.md, "Citizens' mobile
numbers"): the call centre (agents, supervisors, admins and the helpline's own `api` token), who
talk to callers and call them back, and the officer holding the complaint, who contacts the
citizen about it. Every other officer who may see the complaint (the levels above, the nodal
officer, the secretary) sees it masked to its last four digits, as the citizen's own /track does.
"""

from __future__ import annotations

from models.complaints.complaint import Complaint
from models.complaints.jurisdiction import HELPLINE_ROLES, Actor, holds


def mask_mobile(mobile: str) -> str:
    """`••••••3210`: only the last four digits."""
    return "•" * max(len(mobile) - 4, 0) + mobile[-4:]


def sees_full_mobile(actor: Actor, complaint: Complaint) -> bool:
    return actor.role in HELPLINE_ROLES or holds(actor, complaint)


def mobile_for(actor: Actor, complaint: Complaint, number: str | None = None) -> str:
    """The citizen's mobile (or `number`, a call's caller about it) as `actor` may see it on `complaint`."""
    mobile = (complaint.mobile if number is None else number) or ""
    return mobile if sees_full_mobile(actor, complaint) else mask_mobile(mobile)
