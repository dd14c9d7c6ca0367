"""The SMS tests' parts: a stand-in gateway (a real HTTP server on 127.0.0.1 that records every
request it gets and answers from a script: a status per request, the last one repeated) and a
database of their own."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import delete

from models.core.db import Database
from models.notifications.outbox import OutboxMessage


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class GatewayStub:
    """The gateway's script and what it was asked; `url` is where to point HELPLINE_SMS_URL."""

    statuses: list[int] = field(default_factory=lambda: [200])
    delay_s: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, received: Received) -> int:
        with self._lock:
            self.received.append(received)
            index = min(len(self.received), len(self.statuses)) - 1
            return self.statuses[index]

    def texts(self) -> list[str]:
        return [r.body["text"] for r in self.received]


def _handler(stub: GatewayStub):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received = Received(self.path, dict(self.headers), json.loads(raw.decode("utf-8")))
            if stub.delay_s:
                time.sleep(stub.delay_s)
            status = stub.answer(received)
            reply = b'{"accepted": true}' if status < 300 else b'{"error": "gateway busy"}'
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender was killed while we answered (tests/reliability): it was received

        def log_message(self, *args):  # quiet in test output
            pass

    return Handler


@pytest.fixture
def sms_gateway():
    """A running stub gateway; set `.statuses` (and `.delay_s`) before the sender runs."""
    stub = GatewayStub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    thread = threading.Thread(target=server.serve_forever, name="sms-gateway", daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_port}/send"
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def sms_database_url(backend, tmp_path_factory) -> str:
    """A database of the SMS tests' own (the sender sends every due row it finds), with
    reference data and the demo users."""
    from models.core.migrate import upgrade
    from models.seed.demo import seed_officers, seed_users
    from models.seed.reference import seed_reference
    from tests.conftest import fresh_database_url

    url = fresh_database_url(backend, tmp_path_factory, f"helpline_sms_{backend}")
    upgrade(url)
    database = Database(url)
    with database.unit_of_work() as uow:
        seed_reference(session=uow.session)
        seed_officers(session=uow.session)
        seed_users(session=uow.session)
        uow.commit()
    database.dispose()
    return url


@pytest.fixture
def sms_db(sms_database_url):
    """The SMS tests' database with an empty outbox."""
    database = Database(sms_database_url)
    with database.unit_of_work() as uow:
        uow.session.execute(delete(OutboxMessage))
        uow.commit()
    yield database
    database.dispose()
