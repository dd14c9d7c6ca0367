"""A photo sent on WhatsApp for a complaint is fetched from the Cloud API (a stand-in Graph API
on 127.0.0.1 that records what it is asked) and stored as the complaint's attachment, once; a
file that is not a JPEG, PNG or PDF is refused by its content."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from models.channels import whatsapp_messages as messages
from models.channels.whatsapp_cloud import CloudApi
from models.channels.whatsapp_media import fetch_whatsapp_media
from models.complaints.notes import Attachment
from models.complaints.service import get_by_public_id
from models.core.db import Database, unit_of_work
from models.core.settings import Secret, get_settings
from tests.factories import make_complaint, next_mobile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 100
FILES = {"MEDIA_OK": ("image/png", PNG), "MEDIA_EXE": ("image/jpeg", b"MZ\x90\x00 a program")}


@pytest.fixture
def graph_api():
    asked: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append((self.path, self.headers.get("Authorization", "")))
            media = self.path.rsplit("/", 1)[-1]
            if media not in FILES:
                self.send_response(404)
                self.end_headers()
                return
            if self.path.startswith("/files/"):
                body, kind = FILES[media][1], "application/octet-stream"
            else:
                body = json.dumps({"url": f"http://127.0.0.1:{server.server_port}/files/{media}",
                                   "mime_type": FILES[media][0], "id": media}).encode()
                kind = "application/json"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v21.0", asked
    server.shutdown()
    server.server_close()


def _sent_photo(media_id: str) -> tuple[str, int]:
    with unit_of_work() as uow:
        complaint = make_complaint(uow.session, channel="whatsapp", mobile=next_mobile())
        message = messages.take_in(session=uow.session, wa_message_id=f"wamid.{media_id}.{complaint.id}",
                                   wa_id="91" + complaint.mobile, kind="image", body=media_id)
        messages.link(session=uow.session, message=message, complaint=complaint)
        uow.commit()
        return complaint.public_id, message.id


def test_a_photo_is_fetched_once_and_a_disguised_file_refused(app, channels_database_url, graph_api, tmp_path):
    url, asked = graph_api
    settings = dataclasses.replace(get_settings(), whatsapp_token=Secret("wa-token"),
                                   whatsapp_phone_number_id="PNID1", whatsapp_api_url=url,
                                   attachments_dir=tmp_path / "attachments", sms_max_attempts=2)
    database = Database(channels_database_url)
    public_id, good = _sent_photo("MEDIA_OK")
    _, bad = _sent_photo("MEDIA_EXE")
    fetch_whatsapp_media(database=database, settings=settings, api=CloudApi(settings))
    with unit_of_work() as uow:
        stored = get_by_public_id(session=uow.session, public_id=public_id)
        files = list(uow.session.scalars(select(Attachment).where(Attachment.complaint_id == stored.id)))
        assert [(f.content_type, f.size) for f in files] == [("image/png", len(PNG))]
        assert (tmp_path / "attachments" / files[0].stored_name).read_bytes() == PNG
        assert "citizen_files" in [e.action for e in stored.history]
        good_row = uow.session.get(messages.WhatsAppMessage, good)
        bad_row = uow.session.get(messages.WhatsAppMessage, bad)
        assert good_row.media_stored_at is not None
        assert bad_row.media_stored_at is None and "not a JPEG, PNG or PDF" in bad_row.last_error
    assert ("/v21.0/MEDIA_OK", "Bearer wa-token") in asked and ("/files/MEDIA_OK", "Bearer wa-token") in asked
    before = len(asked)
    fetch_whatsapp_media(database=database, settings=settings, api=CloudApi(settings))  # the bad one's last try
    fetch_whatsapp_media(database=database, settings=settings, api=CloudApi(settings))  # nothing left
    ours = [path for path, _ in asked[before:] if "MEDIA_OK" in path or "MEDIA_EXE" in path]
    assert ours == ["/v21.0/MEDIA_EXE", "/files/MEDIA_EXE"]  # (other tests' photos may be asked too)
    unconfigured = dataclasses.replace(settings, whatsapp_token=Secret(""))
    assert fetch_whatsapp_media(database=database, settings=unconfigured) == 0
    database.dispose()
