"""What a report counts: the complaints registered in a date range (India dates, both ends
included), of one department and/or district, optionally one channel; and the indexes that keep
each report to a range scan of that slice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Index, and_, true

from models.complaints.complaint import Channel, Complaint, ComplaintEvent
from models.complaints.intake import InvalidField
from models.reference.calendar import IST

# Every report is a range of registered_at within a department, a district, or the state: this
# index makes each one a range scan of that slice, never a scan of the whole table; on PostgreSQL
# it carries the columns the measures count and the place (migration 0023), so the scan reads the
# index alone and filters a department or district from it. The dashboards and the ranking read
# the roll-up (rollup.py); what still counts complaints — the job's recount of days, today live,
# the days' percentile, the drill-down — is a day to a month of the state, so the department's and
# district's own range indexes were dropped (migration 0026: their entries made every escalation dearer).
COUNTED = ["status", "level", "resolved_level", "closure_reason", "reopen_count", "due_at", "channel",
           "resolved_at", "officer_id"]
Index("ix_complaints_registered", Complaint.registered_at,
      postgresql_include=["district_code", "department_code", *COUNTED])
# The monthly grades read the month's events of a kind (resolve, reopen, close, …).
Index("ix_complaint_events_action_at", ComplaintEvent.action, ComplaintEvent.at)

JANDARSHAN = (Channel.CM_JANDARSHAN, Channel.COLLECTOR_JANDARSHAN)


def day_start(day: date) -> datetime:
    """Midnight India time at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=IST)


@dataclass(frozen=True)
class Scope:
    """The complaints a report counts."""

    date_from: date
    date_to: date
    department: str | None = None
    district: str | None = None
    channel: str | None = None   # one channel's slice, e.g. cm_jandarshan
    officer_id: int | None = None  # only the complaints this officer holds (an L1 officer's own)

    @property
    def start(self) -> datetime:
        return day_start(self.date_from)

    @property
    def end(self) -> datetime:
        """The first moment after the range (exclusive)."""
        return day_start(self.date_to + timedelta(days=1))

    def conditions(self):
        """The SQL condition on Complaint for this scope."""
        parts = [Complaint.registered_at >= self.start, Complaint.registered_at < self.end]
        if self.department:
            parts.append(Complaint.department_code == self.department)
        if self.district:
            parts.append(Complaint.district_code == self.district)
        if self.channel:
            parts.append(Complaint.channel == Channel(self.channel))
        if self.officer_id:
            parts.append(Complaint.officer_id == self.officer_id)
        return and_(true(), *parts)

    def header(self) -> dict:
        """What every report's JSON starts with: the scope it counts."""
        return {"department": self.department, "district": self.district, "channel": self.channel,
                "from": self.date_from.isoformat(), "to": self.date_to.isoformat()}

    def as_params(self) -> dict[str, str]:
        """The scope as query parameters (for links and the API)."""
        params = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        for key in ("department", "district", "channel"):
            if getattr(self, key):
                params[key] = getattr(self, key)
        return params


def parse_scope(args, *, today: date, default_days: int = 30) -> Scope:
    """A Scope from query parameters (`from`, `to` as YYYY-MM-DD, `department`, `district`,
    `channel`); InvalidField names the parameter that is wrong. Without dates: the last
    `default_days` days up to `today`."""
    def day(name: str, default: date) -> date:
        raw = (args.get(name) or "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidField(name, "a date as YYYY-MM-DD", code="invalid") from None

    date_to = day("to", today)
    date_from = day("from", date_to - timedelta(days=default_days - 1))
    if date_from > date_to:
        raise InvalidField("from", "the range starts after it ends", code="invalid")
    if (date_to - date_from).days > 3660:
        raise InvalidField("from", "at most ten years at a time", code="invalid")
    channel = (args.get("channel") or "").strip() or None
    if channel and channel not in {c.value for c in Channel}:
        raise InvalidField("channel", f"unknown channel {channel!r}", code="unknown")
    return Scope(date_from=date_from, date_to=date_to,
                 department=(args.get("department") or "").strip().upper() or None,
                 district=(args.get("district") or "").strip().upper() or None, channel=channel)


def check_places(*, session, scope: Scope) -> Scope:
    """`scope`, or InvalidField naming the department or district that does not exist."""
    from models.reference.departments import Department
    from models.reference.places import District

    if scope.department and session.get(Department, scope.department) is None:
        raise InvalidField("department", f"unknown department {scope.department!r}", code="unknown")
    if scope.district and session.get(District, scope.district) is None:
        raise InvalidField("district", f"unknown district {scope.district!r}", code="unknown")
    return scope
