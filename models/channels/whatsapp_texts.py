"""What the helpline writes on WhatsApp, in Hindi and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "menu": {
        "hi": "नमस्ते, मुख्यमंत्री हेल्पलाइन छत्तीसगढ़।\n1 भेजें: नई शिकायत\n2 भेजें: शिकायत की स्थिति "
              "(या सीधे 10 अंकों का शिकायत क्रमांक भेजें)\nFor English, send EN.",
        "en": "Welcome to the CM Helpline Chhattisgarh.\nSend 1: a new complaint\nSend 2: the status "
              "of a complaint (or just send its 10-digit ID)\nहिन्दी के लिए “हिंदी” भेजें।",
    },
    "ask_district": {
        "hi": "आपका ज़िला कौन-सा है? ज़िले का नाम भेजें (जैसे रायपुर)। रद्द करने के लिए 0 भेजें।",
        "en": "Which district are you in? Send its name (for example Raipur). Send 0 to cancel.",
    },
    "unknown_district": {
        "hi": "“{text}” नाम का कोई ज़िला नहीं मिला। कृपया ज़िले का नाम फिर से भेजें।",
        "en": "No district is called “{text}”. Please send the district's name again.",
    },
    "ask_block": {
        "hi": "ज़िला: {district}। आपका विकासखंड / तहसील कौन-सा है? अंक भेजें:\n{options}",
        "en": "District: {district}. Which block or tehsil? Send its number:\n{options}",
    },
    "unknown_block": {
        "hi": "“{text}” इस ज़िले का विकासखंड नहीं है। सूची में से अंक भेजें।",
        "en": "“{text}” is not a block of this district. Send a number from the list.",
    },
    "ask_category": {
        "hi": "ज़िला: {district}। शिकायत किस विषय की है? एक शब्द भेजें (जैसे हैंडपंप, बिजली, राशन)।",
        "en": "District: {district}. What is the complaint about? Send a word (for example "
              "handpump, electricity, ration).",
    },
    "no_category": {
        "hi": "“{text}” से कोई विषय नहीं मिला। कोई दूसरा शब्द भेजें।",
        "en": "No subject matches “{text}”. Please send another word.",
    },
    "choose_category": {
        "hi": "इनमें से कौन-सा? अंक भेजें:\n{options}",
        "en": "Which of these? Send its number:\n{options}",
    },
    "ask_description": {
        "hi": "विषय: {category}। अब अपनी शिकायत कुछ पंक्तियों में लिखें।",
        "en": "Subject: {category}. Now describe your complaint in a few lines.",
    },
    "short_description": {
        "hi": "कृपया शिकायत कम से कम 5 अक्षरों में लिखें।",
        "en": "Please describe the complaint in at least 5 characters.",
    },
    "ask_extras": {
        "hi": "चाहें तो फ़ोटो या अपना लोकेशन भेजें। शिकायत दर्ज करने के लिए 1 भेजें।",
        "en": "If you wish, send a photo or your location. Send 1 to register the complaint.",
    },
    "got_extra": {
        "hi": "मिल गया। और कुछ भेजें, या शिकायत दर्ज करने के लिए 1 भेजें।",
        "en": "Received. Send more, or send 1 to register the complaint.",
    },
    "duplicate": {
        "hi": "आपकी एक शिकायत {id} ({category}) पहले से खुली है। उसी की स्थिति जानने के लिए 2 भेजें, "
              "या फिर भी नई शिकायत दर्ज करने के लिए 1 भेजें।",
        "en": "You already have an open complaint {id} ({category}). Send 2 to follow it instead, "
              "or send 1 to register a new one anyway.",
    },
    "registered": {
        "hi": "आपकी शिकायत दर्ज हो गई। शिकायत क्रमांक {id}। निराकरण की अंतिम तिथि {due}। "
              "स्थिति जानने के लिए यह क्रमांक भेजें।",
        "en": "Your complaint is registered. Complaint ID {id}. Due for resolution by {due}. "
              "Send this ID any time to know its status.",
    },
    "not_registered": {
        "hi": "शिकायत दर्ज नहीं हो सकी। कृपया 1 भेजकर फिर से प्रयास करें।",
        "en": "The complaint could not be registered. Please send 1 to try again.",
    },
    "no_office": {
        "hi": "इस स्थान पर इस विषय की शिकायत लेने वाला कार्यालय अभी तय नहीं है। कृपया हेल्पलाइन पर फ़ोन करें।",
        "en": "No office is set up yet for this subject in this place. Please call the helpline.",
    },
    "ask_id": {
        "hi": "अपना 10 अंकों का शिकायत क्रमांक भेजें।",
        "en": "Send your 10-digit complaint ID.",
    },
    "status": {
        "hi": "शिकायत {id}: {status}। {office}{due}",
        "en": "Complaint {id}: {status}. {office}{due}",
    },
    "status_office": {"hi": "अभी {office} के पास। ", "en": "Now with the {office}. "},
    "status_due": {"hi": "अंतिम तिथि {due}।", "en": "Due by {due}."},
    "not_yours": {
        "hi": "इस नंबर से दर्ज कोई शिकायत {id} नहीं मिली।",
        "en": "No complaint {id} was registered from this number.",
    },
    "bad_id.length": {
        "hi": "शिकायत क्रमांक में 10 अंक होते हैं; आपने {n} अंक भेजे।",
        "en": "A complaint ID has 10 digits; you sent {n}.",
    },
    "bad_id.check_digit": {
        "hi": "यह शिकायत क्रमांक सही नहीं है: कोई अंक गलत लिखा गया है या दो अंक आपस में बदल गए हैं। "
              "कृपया जाँचकर फिर भेजें।",
        "en": "This complaint ID is not right: a digit is mistyped or two digits are swapped. "
              "Please check it and send it again.",
    },
    "cancelled": {"hi": "ठीक है, रद्द कर दिया।", "en": "All right, cancelled."},
    "not_indian": {
        "hi": "शिकायत केवल भारतीय मोबाइल नंबर से दर्ज हो सकती है।",
        "en": "Complaints can be registered only from an Indian mobile number.",
    },
}

STATUS = {
    "hi": {"registered": "दर्ज", "assigned": "संबंधित अधिकारी को सौंपी गई", "in_progress": "कार्यवाही जारी",
           "escalated": "उच्च अधिकारी को भेजी गई", "returned": "सही विभाग को भेजी जा रही है",
           "with_nodal": "सही विभाग को भेजी जा रही है", "paused": "कार्यवाही जारी",
           "resolved": "निराकृत", "reopened": "पुनः खोली गई", "closed": "बंद", "rejected": "अस्वीकृत",
           "force_closed": "बंद", "special_closed": "बंद"},
    "en": {"with_nodal": "being sent to the right department", "returned": "being sent to the right "
           "department", "paused": "in progress"},
}


def say(key: str, language: str, **values) -> str:
    texts = TEXTS[key]
    return texts.get(language, texts["hi"]).format(**values)


def status_words(status: str, language: str) -> str:
    return STATUS.get(language, {}).get(status, status.replace("_", " "))
