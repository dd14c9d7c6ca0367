"""The citizens' portal: a one-time code confirms the mobile, the complaint is registered through
the complaints service (ID, routing, SMS), and /track shows it only for the right mobile digits."""

from __future__ import annotations

import io

from sqlalchemy import select

from models.complaints.complaint import Channel
from models.complaints.complaint_id import make
from models.complaints.notes import Attachment
from models.complaints.service import get_by_public_id
from models.complaints.status import ComplaintStatus
from models.core.db import unit_of_work
from tests.channels.conftest import code_in, csrf_token, last_sms
from tests.channels.portal_steps import LODGE, confirm_mobile, lodge, lodged_id, new_address, post
from tests.factories import next_mobile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_complaint_lodged_with_its_code_is_trackable_only_with_the_right_digits(app):
    client = app.test_client()
    client.environ_base.update(new_address())
    mobile = next_mobile()
    confirm_mobile(client, mobile)
    response = lodge(client, attachment=(io.BytesIO(PNG), "हैंडपंप.png"), lat="21.2514", long="81.6296",
                     description="मोहल्ला शीतला चौक में लगा नलकूप टूटा, मरम्मत चाहिए")  # words no one else used
    public_id = lodged_id(response)
    done = client.get(response.location)
    assert done.status_code == 200 and public_id[:2] in done.text
    with unit_of_work() as uow:
        complaint = get_by_public_id(session=uow.session, public_id=public_id)
        assert complaint.channel is Channel.PORTAL and complaint.mobile == mobile
        assert complaint.status is ComplaintStatus.ASSIGNED and complaint.officer is not None
        designation, officer_name = complaint.officer.designation_hi, complaint.officer.name
        assert complaint.citizen_name == "रमेश कुमार साहू" and complaint.category_code == "PHE-HPM"
        files = list(uow.session.scalars(select(Attachment).where(Attachment.complaint_id == complaint.id)))
        assert [(f.content_type, f.filename) for f in files] == [("image/png", "हैंडपंप.png")]
    assert public_id in last_sms(mobile, "registered").body

    right = post(client, "/track", "/track", {"id": f"{public_id[:2]}-{public_id[2:9]}-{public_id[9]}",
                                              "last4": mobile[-4:]})
    assert right.status_code == 200 and 'id="tracked"' in right.text
    assert "र••• कु••• सा•••" in right.text and f"••••••{mobile[-4:]}" in right.text
    assert "रमेश" not in right.text and mobile not in right.text  # the citizen's data masked
    assert 'data-step="registered"' in right.text and 'data-step="with_office"' in right.text
    assert designation in right.text and officer_name not in right.text

    wrong_digits = "0000" if mobile[-4:] != "0000" else "1111"
    wrong = post(client, "/track", "/track", {"id": public_id, "last4": wrong_digits})
    assert wrong.status_code == 400 and 'id="tracked"' not in wrong.text
    assert "इस क्रमांक और इन अंकों" in wrong.text


def test_a_mistyped_id_is_caught_by_its_check_digit_and_explained(client):
    client.environ_base.update(new_address())
    good = make(2026, 1234)
    swapped = good[:3] + good[4] + good[3] + good[5:] if good[3] != good[4] else good[:9] + str((int(good[9]) + 1) % 10)
    response = post(client, "/track?lang=en", "/track", {"id": swapped, "last4": "1234"})
    assert response.status_code == 400
    assert "check digit" in response.text and 'aria-invalid="true"' in response.text
    short = post(client, "/track?lang=hi", "/track", {"id": "26000", "last4": "1234"})
    assert short.status_code == 400 and "10 अंक" in short.text
    bad_last4 = post(client, "/track", "/track", {"id": good, "last4": "12"})
    assert bad_last4.status_code == 400 and "अंतिम 4 अंक" in bad_last4.text


def test_a_wrong_code_three_times_blocks_the_mobile(client):
    client.environ_base.update(new_address())
    mobile = next_mobile()
    assert post(client, "/portal/mobile", "/portal/mobile", {"mobile": mobile}).status_code == 302
    right = code_in(last_sms(mobile, "portal_code"))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    first = post(client, "/portal/code?lang=en", "/portal/code", {"code": wrong})
    assert first.status_code == 400 and "2 tries left" in first.text
    post(client, "/portal/code", "/portal/code", {"code": wrong})
    third = post(client, "/portal/code?lang=en", "/portal/code", {"code": wrong})
    assert third.status_code == 400 and "Too many tries" in third.text
    # Blocked: even the right code no longer opens the form, and no new code is sent.
    assert post(client, "/portal/code", "/portal/code", {"code": right}).status_code == 400
    assert client.get("/portal/lodge").status_code == 302
    again = post(client, "/portal/mobile?lang=en", "/portal/mobile", {"mobile": mobile})
    assert again.status_code == 400 and "Too many tries" in again.text


def test_codes_are_rate_limited_per_mobile_and_the_form_needs_a_confirmed_mobile(client):
    client.environ_base.update(new_address())
    assert client.get("/portal/lodge").location.endswith("/portal/mobile")
    mobile = next_mobile()
    for _ in range(3):
        assert post(client, "/portal/mobile", "/portal/mobile", {"mobile": mobile}).status_code == 302
    fourth = post(client, "/portal/mobile?lang=en", "/portal/mobile", {"mobile": mobile})
    assert fourth.status_code == 400 and "Too many tries" in fourth.text
    bad = post(client, "/portal/mobile?lang=en", "/portal/mobile", {"mobile": "12345"})
    assert bad.status_code == 400 and "not a valid Indian mobile number" in bad.text


def test_bad_fields_are_named_and_a_renamed_file_is_refused(client):
    client.environ_base.update(new_address())
    confirm_mobile(client, next_mobile())
    client.get("/portal/lodge?lang=hi")
    short = lodge(client, description="खराब")
    assert short.status_code == 400 and 'id="description-error"' in short.text
    no_district = lodge(client, district_code="")
    assert no_district.status_code == 400 and 'id="district_code-error"' in no_district.text
    no_block = lodge(client, block="", confirm_new="1")  # Raipur's complaints go to its blocks
    assert no_block.status_code == 400 and 'id="block-error"' in no_block.text
    unknown = lodge(client, category="कुछ भी नहीं मिलता")
    assert unknown.status_code == 400 and 'id="category_code-error"' in unknown.text
    fake = lodge(client, attachment=(io.BytesIO(b"MZ\x90\x00 not a photo"), "photo.jpg"))
    assert fake.status_code == 400 and 'id="attachments-error"' in fake.text
    huge = lodge(client, attachment=(io.BytesIO(b"%PDF-" + b"0" * (5 * 1024 * 1024)), "big.pdf"))
    assert huge.status_code == 400 and "5120" in huge.text


def test_the_duplicate_warning_offers_the_open_complaint_first(client):
    client.environ_base.update(new_address())
    mobile = next_mobile()
    confirm_mobile(client, mobile)
    first = lodged_id(lodge(client, confirm_new="1"))  # earlier tests lodged the same words here
    again = lodge(client)
    assert again.status_code == 200 and 'id="duplicate-warning"' in again.text
    assert f"/track?id={first}" in again.text
    second = lodged_id(lodge(client, confirm_new="1",
                             description="राशन दुकान तीन महीने से बंद है, राशन नहीं मिल रहा"))
    assert second != first


def test_forms_need_their_csrf_token(client):
    client.environ_base.update(new_address())
    assert client.post("/portal/mobile", data={"mobile": next_mobile()}).status_code == 400
    assert client.post("/track", data={"id": make(2026, 1), "last4": "1234"}).status_code == 400


def test_pages_are_small_hindi_first_and_label_every_field(client):
    client.environ_base.update(new_address())
    confirm_mobile(client, next_mobile())
    for url in ("/portal/", "/portal/mobile", "/portal/lodge", "/track"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert len(page.data) < 100_000, (url, len(page.data))
        assert '<html lang="hi">' in page.text, url
        for field_id in _field_ids(page.text):
            assert f'<label for="{field_id}">' in page.text, (url, field_id)
    assert "शिकायत" in client.get("/portal/").text


def _field_ids(html: str) -> list[str]:
    import re

    return [m.group(1) for m in re.finditer(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)]


def test_lodge_defaults_match_the_form():
    assert set(LODGE) <= {"citizen_name", "district_code", "block", "category", "description"}


def test_tracking_one_id_is_limited_and_says_until_when(client):
    client.environ_base.update(new_address())
    public_id = make(2026, 7_000_000 + int(next_mobile()[-6:]))  # a well-formed ID of no complaint
    token = csrf_token(client.get("/track?lang=en").text)
    answers = [client.post("/track", data={"id": public_id, "last4": f"{n:04d}", "csrf_token": token})
               for n in range(11)]
    assert all("No complaint has this ID" in a.text for a in answers[:10])
    assert answers[10].status_code == 400 and "Too many tries. Please try again after" in answers[10].text


def test_lodging_is_limited_per_mobile(client):
    client.environ_base.update(new_address())
    confirm_mobile(client, next_mobile())
    words = ["सड़क", "नाली", "बिजली", "पानी", "स्कूल", "राशन"]
    responses = [lodge(client, confirm_new="1", description=f"{word} की समस्या बहुत दिनों से है {n}")
                 for n, word in enumerate(words)]
    assert [r.status_code for r in responses] == [302] * 5 + [400]
    assert 'id="form-error"' in responses[5].text


def test_in_english_a_latin_description_is_lodged_and_the_sms_is_in_english(client):
    client.environ_base.update(new_address())
    mobile = next_mobile()
    client.get("/portal/?lang=en")
    confirm_mobile(client, mobile)
    assert "One-time code" not in client.get("/portal/lodge").text  # past that step
    public_id = lodged_id(lodge(client, category="handpump", citizen_name="Kamla Bai",
                                description="The handpump behind the panchayat office gives no water"))
    with unit_of_work() as uow:
        complaint = get_by_public_id(session=uow.session, public_id=public_id)
        assert (complaint.language, complaint.category_code) == ("en", "PHE-HPM")
    assert last_sms(mobile, "registered").body.startswith("CM Helpline: your complaint " + public_id)
    assert "Your complaint is registered" in client.get(f"/portal/done/{public_id}").text
