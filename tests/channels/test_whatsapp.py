"""The WhatsApp webhook: Meta's handshake, the signature on every delivery, a conversation that
lodges one complaint even when every message comes twice and the desk restarts in the middle,
status questions by ID, and replies linked to the complaint's timeline."""

from __future__ import annotations

from sqlalchemy import func, select

from agent_desk import create_app
from models.channels.whatsapp_chat import Conversation
from models.channels.whatsapp_messages import Delivery, Direction, WhatsAppMessage
from models.complaints.complaint import Channel, Complaint
from models.complaints.service import get_by_public_id
from models.core.db import unit_of_work
from tests.channels.conftest import VERIFY_TOKEN
from tests.channels.whatsapp_cloud import deliver, image, location, signed, text
from tests.factories import make_complaint, next_mobile


def replies_to(wa_id: str) -> list[str]:
    with unit_of_work() as uow:
        return list(uow.session.scalars(select(WhatsAppMessage.body).where(
            WhatsAppMessage.wa_id == wa_id, WhatsAppMessage.direction == Direction.OUT)
            .order_by(WhatsAppMessage.id)))


def complaints_of(mobile: str) -> list[Complaint]:
    with unit_of_work() as uow:
        rows = list(uow.session.scalars(select(Complaint).where(Complaint.mobile == mobile)))
        uow.session.expunge_all()
        return rows


def test_the_handshake_answers_only_our_verify_token(client):
    ok = client.get("/webhooks/whatsapp", query_string={
        "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = client.get("/webhooks/whatsapp", query_string={
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403


def test_a_bad_or_missing_signature_is_refused_and_nothing_is_kept(client):
    wa_id = "91" + next_mobile()
    payload = text(wa_id, "1")
    body, headers = signed(payload, secret="not-our-secret")
    assert client.post("/webhooks/whatsapp", data=body, headers=headers).status_code == 403
    assert client.post("/webhooks/whatsapp", data=body,
                       headers={"Content-Type": "application/json"}).status_code == 403
    good_body, good_headers = signed(payload)
    tampered = good_body.replace(b'"1"', b'"2"')
    assert client.post("/webhooks/whatsapp", data=tampered, headers=good_headers).status_code == 403
    with unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WhatsAppMessage)
                                  .where(WhatsAppMessage.wa_id == wa_id)) == 0


def test_a_conversation_delivered_twice_and_across_a_restart_lodges_one_complaint(app):
    mobile = next_mobile()
    wa_id = "91" + mobile
    client = app.test_client()
    deliver(client, text(wa_id, "नमस्ते"), times=2)
    deliver(client, text(wa_id, "1"), times=2)
    deliver(client, text(wa_id, "रायपुर"), times=2)
    assert "अभनपुर" in replies_to(wa_id)[-1]                 # Raipur's complaints go to its blocks
    deliver(client, text(wa_id, "अभनपुर"), times=2)
    deliver(client, text(wa_id, "बिजली"), times=2)           # two subjects match: a numbered list
    assert "2. बिजली कटौती" in replies_to(wa_id)[-1]

    # The desk restarts: a new app, a new engine; the conversation is in the database.
    restarted = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"],
                            "SECRET_KEY": "channels-tests"})
    restarted.config["HELPLINE_SETTINGS"] = app.config["HELPLINE_SETTINGS"]
    client = restarted.test_client()
    with unit_of_work() as uow:
        assert uow.session.get(Conversation, wa_id).step == "category"
    deliver(client, text(wa_id, "2"), times=2)
    deliver(client, text(wa_id, "तीन दिन से गाँव में बिजली नहीं है, ट्रांसफार्मर जल गया है"), times=2)
    deliver(client, location(wa_id, 21.25, 81.63), times=2)
    deliver(client, image(wa_id, "MEDIA123"), times=2)
    deliver(client, text(wa_id, "1"), times=2)

    lodged = complaints_of(mobile)
    assert len(lodged) == 1, replies_to(wa_id)[-4:]
    complaint = lodged[0]
    assert complaint.channel is Channel.WHATSAPP and complaint.category_code == "ENR-CUT"
    assert complaint.district_code == "RPR" and complaint.citizen_name == "सुनीता वर्मा"
    assert "ट्रांसफार्मर" in complaint.description
    last = replies_to(wa_id)[-1]
    assert complaint.public_id in last and "दर्ज" in last
    assert len(replies_to(wa_id)) == 10  # one reply per message, none for the repeats
    with unit_of_work() as uow:
        stored = get_by_public_id(session=uow.session, public_id=complaint.public_id)
        events, block = [e.action for e in stored.history], stored.block.code
        linked = uow.session.scalar(select(func.count()).select_from(WhatsAppMessage)
                                    .where(WhatsAppMessage.complaint_id == complaint.id))
    assert events.count("whatsapp_in") >= 8 and "whatsapp_out" in events and "citizen_files" in events
    assert linked >= 9 and block == "RPR-ABH"  # the conversation's messages in and the registration reply


def test_a_status_question_by_id_is_answered_for_the_citizens_own_complaint(client, app):
    mobile = next_mobile()
    wa_id = "91" + mobile
    with unit_of_work() as uow:
        mine = make_complaint(uow.session, mobile=mobile)
        other = make_complaint(uow.session)
        uow.commit()
        mine_id, other_id = mine.public_id, other.public_id
    deliver(client, text(wa_id, f"{mine_id[:2]} {mine_id[2:9]} {mine_id[9]}"))
    answer = replies_to(wa_id)[-1]
    assert mine_id in answer and "संबंधित अधिकारी" in answer
    deliver(client, text(wa_id, other_id))
    assert "नहीं मिली" in replies_to(wa_id)[-1] and "तहसीलदार" not in replies_to(wa_id)[-1]
    swapped = mine_id[:8] + mine_id[9] + mine_id[8] if mine_id[8] != mine_id[9] else mine_id[:9] + "0"
    deliver(client, text(wa_id, "EN"))
    deliver(client, text(wa_id, swapped))
    assert "check it" in replies_to(wa_id)[-1]  # the language is remembered: English now
    deliver(client, text(wa_id, "hi"))  # a greeting, not a wish for Hindi
    assert replies_to(wa_id)[-1].startswith("Welcome to the CM Helpline")
    deliver(client, text(wa_id, "हिंदी"))
    assert replies_to(wa_id)[-1].startswith("नमस्ते")
    with unit_of_work() as uow:
        events = [e.action for e in get_by_public_id(session=uow.session, public_id=mine_id).history]
    assert "whatsapp_in" in events and "whatsapp_out" in events


def test_replies_wait_in_the_outbox_as_queued(client):
    wa_id = "91" + next_mobile()
    deliver(client, text(wa_id, "hello"))
    with unit_of_work() as uow:
        statuses = list(uow.session.scalars(select(WhatsAppMessage.status).where(
            WhatsAppMessage.wa_id == wa_id, WhatsAppMessage.direction == Direction.OUT)))
    assert statuses == [Delivery.QUEUED]


def test_one_message_delivered_twice_at_the_same_moment_is_taken_in_once(app):
    import threading

    wa_id = "91" + next_mobile()
    payload = text(wa_id, "नमस्ते")
    start = threading.Barrier(4)
    statuses = []

    def post():
        client = app.test_client()
        body, headers = signed(payload)
        start.wait()
        statuses.append(client.post("/webhooks/whatsapp", data=body, headers=headers).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 4
    with unit_of_work() as uow:
        inbound = uow.session.scalar(select(func.count()).select_from(WhatsAppMessage).where(
            WhatsAppMessage.wa_id == wa_id, WhatsAppMessage.direction == Direction.IN))
    assert inbound == 1 and len(replies_to(wa_id)) == 1


def test_the_officer_sees_the_whatsapp_messages_on_the_complaint_page(app):
    from tests.desk.conftest import log_in

    mobile = next_mobile()
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session, mobile=mobile, channel="whatsapp")  # Abhanpur, Revenue
        uow.commit()
        public_id = complaint.public_id
    deliver(app.test_client(), text("91" + mobile, public_id))
    officer = log_in(app.test_client(), "tehsildar.abhanpur")
    page = officer.get(f"/officer/complaints/{public_id}?lang=hi")
    assert page.status_code == 200
    assert "नागरिक का व्हाट्सएप संदेश" in page.text and "नागरिक को व्हाट्सएप संदेश" in page.text
    assert 'data-action="whatsapp_in"' in page.text and public_id in page.text


def test_the_duplicate_warning_offers_the_open_complaint_to_follow(client):
    mobile = next_mobile()
    wa_id = "91" + mobile
    with unit_of_work() as uow:
        earlier = make_complaint(uow.session, mobile=mobile).public_id  # open, Revenue, Abhanpur
        uow.commit()
    for body in ("1", "रायपुर", "अभनपुर", "नामांतरण", "मेरे खेत का नामांतरण अब तक नहीं हुआ है", "1"):
        deliver(client, text(wa_id, body))
    warning = replies_to(wa_id)[-1]
    assert earlier in warning and "2 भेजें" in warning
    deliver(client, text(wa_id, "2"))
    assert earlier in replies_to(wa_id)[-1] and len(complaints_of(mobile)) == 1  # followed, not lodged
    for body in ("1", "रायपुर", "अभनपुर", "नामांतरण", "पड़ोसी के खेत का सीमांकन भी चाहिए", "1", "1"):
        deliver(client, text(wa_id, body))
    assert len(complaints_of(mobile)) == 2  # "1" again after the warning registers anyway


def test_a_conversation_left_for_a_day_begins_again(client):
    from datetime import timedelta

    wa_id = "91" + next_mobile()
    deliver(client, text(wa_id, "1"))
    deliver(client, text(wa_id, "रायपुर"))
    with unit_of_work() as uow:
        chat = uow.session.get(Conversation, wa_id)
        assert chat.step == "block"
        chat.updated_at -= timedelta(hours=25)
        uow.commit()
    deliver(client, text(wa_id, "अभनपुर"))  # a day later: not taken as the block
    assert replies_to(wa_id)[-1].startswith("नमस्ते")
    with unit_of_work() as uow:
        assert uow.session.get(Conversation, wa_id).step == "menu"
