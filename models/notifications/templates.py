"""The SMS the helpline sends, one per event and language, each under its DLT template.

Indian SMS rules (TRAI's DLT) let a gateway deliver only text that matches a template the
helpline registered, sent under its registered sender id; the registry gives each template a
19-digit id. The texts are here; the ids and the sender id are settings (HELPLINE_SMS_TEMPLATE_IDS,
HELPLINE_SMS_SENDER), since the registry assigns them to each deployment.
"""

from __future__ import annotations

import enum
import logging

from models.core.settings import Settings

log = logging.getLogger(__name__)


class SmsEvent(str, enum.Enum):
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    INTERIM_REPLY = "interim"  # the officer's own words (models/complaints/notes.py: interim_reply)
    RESOLVED = "resolved"
    FEEDBACK_ASKED = "feedback_asked"
    REOPENED = "reopened"
    CLOSED = "closed"


# {id} is the 10-digit complaint ID, {due} the date it is due (India time, day first), {text} the
# officer's interim reply (registered with DLT as a variable part).
TEXTS: dict[tuple[SmsEvent, str], str] = {
    (SmsEvent.REGISTERED, "hi"): "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} दर्ज हो गई है। "
                                 "निराकरण की अंतिम तिथि {due}।",
    (SmsEvent.REGISTERED, "en"): "CM Helpline: your complaint {id} is registered. "
                                 "It is due for resolution by {due}.",
    (SmsEvent.ASSIGNED, "hi"): "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} संबंधित अधिकारी को "
                               "सौंप दी गई है। निराकरण की अंतिम तिथि {due}।",
    (SmsEvent.ASSIGNED, "en"): "CM Helpline: your complaint {id} has been assigned to the officer "
                               "responsible. It is due by {due}.",
    (SmsEvent.ESCALATED, "hi"): "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} उच्च अधिकारी को भेजी "
                                "गई है। नई अंतिम तिथि {due}।",
    (SmsEvent.ESCALATED, "en"): "CM Helpline: your complaint {id} has been sent to a senior officer. "
                                "It is now due by {due}.",
    (SmsEvent.INTERIM_REPLY, "hi"): "मुख्यमंत्री हेल्पलाइन {id}: {text}",
    (SmsEvent.INTERIM_REPLY, "en"): "CM Helpline {id}: {text}",
    (SmsEvent.RESOLVED, "hi"): "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} का निराकरण कर दिया "
                               "गया है। संतुष्टि जानने हेतु आपको कॉल किया जाएगा।",
    (SmsEvent.RESOLVED, "en"): "CM Helpline: your complaint {id} has been resolved. "
                               "We will call you to ask if you are satisfied.",
    (SmsEvent.FEEDBACK_ASKED, "hi"): "मुख्यमंत्री हेल्पलाइन: शिकायत क्रमांक {id} के निराकरण से आप "
                                     "संतुष्ट हैं या नहीं, यह जानने हेतु हमने आपको कॉल किया था।",
    (SmsEvent.FEEDBACK_ASKED, "en"): "CM Helpline: we called you to ask whether you are satisfied "
                                     "with the resolution of your complaint {id}.",
    (SmsEvent.REOPENED, "hi"): "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} पुनः खोली गई है। "
                               "नई अंतिम तिथि {due}।",
    (SmsEvent.REOPENED, "en"): "CM Helpline: your complaint {id} has been reopened. "
                               "It is now due by {due}.",
    (SmsEvent.CLOSED, "hi"): "मुख्यमंत्री हेल्पलाइन: आपकी शिकायत क्रमांक {id} बंद कर दी गई है। "
                             "धन्यवाद।",
    (SmsEvent.CLOSED, "en"): "CM Helpline: your complaint {id} has been closed. Thank you.",
}
LANGUAGES = ("hi", "en")
# Kinds whose texts other packages write (models/channels: the portal's one-time code, a WhatsApp
# reply sent as SMS); each needs its DLT template id like the events above.
OTHER_KINDS = ("portal_code", "whatsapp_reply")


def template_key(kind: SmsEvent | str, language: str) -> str:
    """How HELPLINE_SMS_TEMPLATE_IDS names a template: `registered.hi` (any outbox kind)."""
    return f"{getattr(kind, 'value', kind)}.{language}"


def render(event: SmsEvent | str, language: str, **values: str) -> str:
    """The text of `event` in `language` (Hindi when the language has no text)."""
    event = SmsEvent(event)
    text = TEXTS.get((event, language)) or TEXTS[(event, "hi")]
    return text.format(**values)


def template_id(settings: Settings, kind: SmsEvent | str, language: str) -> str:
    """The DLT template id registered for this kind of message, or "" when none is configured."""
    return dict(settings.sms_template_ids).get(template_key(kind, language), "")


def unknown_template_keys(settings: Settings) -> list[str]:
    """Keys in HELPLINE_SMS_TEMPLATE_IDS that name no template (a misspelt key sends nothing)."""
    known = {template_key(event, language) for event, language in TEXTS} | {
        template_key(kind, language) for kind in OTHER_KINDS for language in LANGUAGES}
    return [key for key, _ in settings.sms_template_ids if key not in known]
