"""Call-centre vocabulary for agents: pause reasons, wrap-up codes and the states an agent is in."""

from __future__ import annotations

import enum
import logging

from sqlalchemy.orm import Session

from models.calls.call import Call

log = logging.getLogger(__name__)

# code -> (English, Hindi)
PAUSE_REASONS: dict[str, tuple[str, str]] = {
    "break": ("Break", "विश्राम"),
    "lunch": ("Lunch", "भोजन"),
    "training": ("Training", "प्रशिक्षण"),
    "callback": ("Callback work", "कॉल-बैक कार्य"),
    "meeting": ("Meeting", "बैठक"),
}

DISPOSITIONS: dict[str, tuple[str, str]] = {
    "registered": ("Complaint registered", "शिकायत दर्ज"),
    "linked": ("Linked to an earlier complaint", "पूर्व शिकायत से जोड़ी"),
    "status_enquiry": ("Status enquiry", "स्थिति की जानकारी"),
    "information": ("Information given", "जानकारी दी"),
    "not_helpline": ("Not a helpline matter", "हेल्पलाइन विषय नहीं"),
    "silent": ("Silent / dropped call", "मौन / कटी कॉल"),
    "abusive": ("Abusive caller", "अभद्र कॉलर"),
}


class AgentState(str, enum.Enum):
    LOGGED_OUT = "logged_out"
    AVAILABLE = "available"
    RINGING = "ringing"
    ON_CALL = "on_call"
    PAUSED = "paused"
    UNAVAILABLE = "unavailable"


class UnknownDisposition(ValueError):
    """The wrap-up code is not in the list."""


def set_disposition(*, session: Session, call: Call, code: str, agent: str) -> Call:
    """Record the agent's wrap-up code for the call."""
    if code not in DISPOSITIONS:
        raise UnknownDisposition(code)
    call.disposition = code
    call.agent = call.agent or agent
    session.flush()
    return call
