"""The complaint status machine: one explicit table of the transitions the helpline allows."""

from __future__ import annotations

import enum


class ComplaintStatus(str, enum.Enum):
    DRAFT = "draft"              # captured by the IVR or a channel, awaiting agent completion
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ESCALATED = "escalated"
    RETURNED = "returned"        # sent back to the helpline (wrong department/jurisdiction)
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"
    REJECTED = "rejected"
    FORCE_CLOSED = "force_closed"  # special closure by the nodal officer or secretary


class Action(str, enum.Enum):
    REGISTER = "register"
    ASSIGN = "assign"
    START = "start"
    ESCALATE = "escalate"
    RETURN = "return"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    REJECT = "reject"
    FORCE_CLOSE = "force_close"


S, A = ComplaintStatus, Action
OPEN = frozenset({S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.RETURNED, S.REOPENED})
FINAL = frozenset({S.CLOSED, S.REJECTED, S.FORCE_CLOSED})

# (from status, action) -> to status. Anything not listed is illegal.
TRANSITIONS: dict[tuple[ComplaintStatus, Action], ComplaintStatus] = {
    (S.DRAFT, A.REGISTER): S.REGISTERED,
    (S.DRAFT, A.REJECT): S.REJECTED,
    (S.REGISTERED, A.ASSIGN): S.ASSIGNED,
    (S.REGISTERED, A.REJECT): S.REJECTED,
    (S.ASSIGNED, A.START): S.IN_PROGRESS,
    (S.ASSIGNED, A.ESCALATE): S.ESCALATED,
    (S.ASSIGNED, A.RETURN): S.RETURNED,
    (S.ASSIGNED, A.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, A.ESCALATE): S.ESCALATED,
    (S.IN_PROGRESS, A.RETURN): S.RETURNED,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.ESCALATED, A.ESCALATE): S.ESCALATED,
    (S.ESCALATED, A.START): S.IN_PROGRESS,
    (S.ESCALATED, A.RESOLVE): S.RESOLVED,
    (S.RETURNED, A.ASSIGN): S.ASSIGNED,
    (S.RETURNED, A.REJECT): S.REJECTED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.REOPENED,
    (S.REOPENED, A.ASSIGN): S.ASSIGNED,
    (S.REOPENED, A.ESCALATE): S.ESCALATED,
}
# A special closure is possible from every open status.
for _status in OPEN:
    TRANSITIONS[(_status, A.FORCE_CLOSE)] = S.FORCE_CLOSED


class IllegalTransition(Exception):
    """The action is not allowed from the complaint's current status."""

    code = "illegal_transition"

    def __init__(self, status: ComplaintStatus, action: Action):
        super().__init__(f"cannot {action.value} a complaint that is {status.value}")
        self.status = status
        self.action = action


def next_status(status: ComplaintStatus, action: Action) -> ComplaintStatus:
    """The status after `action`, or IllegalTransition."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(status, action) from None


def allowed_actions(status: ComplaintStatus) -> list[Action]:
    return [a for (s, a) in TRANSITIONS if s == status]
