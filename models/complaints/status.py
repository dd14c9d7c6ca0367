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
    WITH_NODAL = "with_nodal"    # "not my department": with the department's nodal officer
    PAUSED = "paused"            # the clock is stopped for an approved reason
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"
    REJECTED = "rejected"
    SPECIAL_CLOSED = "special_closed"  # policy matter, not in the government's power, duplicate
    FORCE_CLOSED = "force_closed"  # closed by the secretary's order, with the reason on record


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
    REFER_TO_NODAL = "refer_to_nodal"
    PAUSE = "pause"
    RESUME = "resume"
    SPECIAL_CLOSE = "special_close"


S, A = ComplaintStatus, Action
OPEN = frozenset({S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.RETURNED, S.REOPENED,
                  S.WITH_NODAL, S.PAUSED})
FINAL = frozenset({S.CLOSED, S.REJECTED, S.FORCE_CLOSED, S.SPECIAL_CLOSED})
# Statuses in which an officer holds the complaint and its clock runs.
RUNNING = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED})

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
    (S.RETURNED, A.REFER_TO_NODAL): S.WITH_NODAL,  # transferred as often as allowed
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.REOPENED,
    (S.REOPENED, A.ASSIGN): S.ASSIGNED,
    (S.REOPENED, A.ESCALATE): S.ESCALATED,
    (S.REOPENED, A.START): S.IN_PROGRESS,
    (S.REOPENED, A.RESOLVE): S.RESOLVED,
    # The nodal officer re-routes within the department, or sends it back to the helpline.
    (S.WITH_NODAL, A.ASSIGN): S.ASSIGNED,
    (S.WITH_NODAL, A.RETURN): S.RETURNED,
    (S.PAUSED, A.RESUME): S.IN_PROGRESS,
}
# While an officer holds it: "not my department", an approved pause, an approved special closure.
for _status in RUNNING:
    TRANSITIONS[(_status, A.REFER_TO_NODAL)] = S.WITH_NODAL
    TRANSITIONS[(_status, A.PAUSE)] = S.PAUSED
    TRANSITIONS[(_status, A.SPECIAL_CLOSE)] = S.SPECIAL_CLOSED
# The secretary's force closure is possible from every open status.
for _status in OPEN:
    TRANSITIONS[(_status, A.FORCE_CLOSE)] = S.FORCE_CLOSED


# Steps that leave the status as it is, and the statuses that allow each.
STEPS: dict[str, frozenset[ComplaintStatus]] = {
    "note": OPEN, "interim_reply": OPEN, "more_time": RUNNING,
    "pause": RUNNING, "special_closure": RUNNING,
    "reroute": frozenset({S.WITH_NODAL}),   # the nodal officer, within the department (then assign)
    "transfer": frozenset({S.RETURNED}),    # the helpline, to another department (then assign)
}


class IllegalTransition(Exception):
    """The action (or step) is not allowed from the complaint's current status."""

    code = "illegal_transition"

    def __init__(self, status: ComplaintStatus, action: Action | str):
        super().__init__(f"cannot {getattr(action, 'value', action)} a complaint that is {status.value}")
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


def check_step(status: ComplaintStatus, step: str) -> None:
    """IllegalTransition unless `step` (a key of STEPS) is allowed while the complaint is `status`."""
    if status not in STEPS[step]:
        raise IllegalTransition(status, step)
