"""Who sees which reports: the state's Good Governance department and admins every one; a
department's secretary, nodal officers and L3 officer their department; an L2 officer their
department in their district; an L1 officer the complaints they hold. Anyone else, nothing."""

from __future__ import annotations

from dataclasses import replace

from models.complaints.jurisdiction import Actor, NotAllowed
from models.people.users import Role
from models.reports.scope import Scope

STATE_WIDE = frozenset({Role.GOOD_GOVERNANCE, Role.ADMIN})
DEPARTMENT_WIDE = frozenset({Role.SECRETARY, Role.NODAL_OFFICER})


def sees_state(actor: Actor) -> bool:
    return actor.role in STATE_WIDE


def may_see_reports(actor: Actor) -> bool:
    return sees_state(actor) or (bool(actor.department_code) and (
        actor.role in DEPARTMENT_WIDE or (actor.level or 0) >= 2 or bool(actor.officer_id)))


def allowed_scope(actor: Actor, scope: Scope) -> Scope:
    """`scope` narrowed to what `actor` may see (their department, and district at L2 — filled in
    when not asked); NotAllowed when they asked for another department or district, or see none."""
    if sees_state(actor):
        return scope
    if not may_see_reports(actor):
        raise NotAllowed("reports are for secretaries, nodal officers, L2/L3 officers and Good Governance")
    if scope.department not in (None, actor.department_code):
        raise NotAllowed(f"reports of department {scope.department} are not yours to see")
    scope = replace(scope, department=actor.department_code)
    if actor.role not in DEPARTMENT_WIDE and (actor.level or 0) == 2:
        if scope.district not in (None, actor.district_code):
            raise NotAllowed(f"reports of district {scope.district} are not yours to see")
        scope = replace(scope, district=actor.district_code)
    if actor.role not in DEPARTMENT_WIDE and (actor.level or 0) <= 1:
        scope = replace(scope, officer_id=actor.officer_id)
    return scope

