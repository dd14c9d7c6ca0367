"""API tokens: stored only as a hash, ended by `helpline tokens revoke NAME`, and expired after
`--days N` (the API answers 401 from then on)."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import create_engine, text

from models.core.base import utcnow
from models.core.db import unit_of_work
from models.people.tokens import ApiToken, create_token, revoke_tokens, token_row
from tests.test_cli import HELPLINE, run


def _make(**kwargs) -> tuple[str, str]:
    name = f"t-{uuid4().hex[:8]}"
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name=name, scope="api", **kwargs)
        uow.commit()
    return name, token


def test_a_revoked_token_is_refused(client):
    name, token = _make()
    _other_name, other = _make()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/complaints", headers=headers).status_code == 200
    with unit_of_work() as uow:
        assert revoke_tokens(session=uow.session, name=name) == 1
        uow.commit()
    assert client.get("/api/v1/complaints", headers=headers).status_code == 401
    assert client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_a_token_expires_after_its_days(client):
    _name, token = _make(days=7)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/complaints", headers=headers).status_code == 200
    with unit_of_work() as uow:
        assert token_row(session=uow.session, token=token, now=utcnow() + timedelta(days=6, hours=23))
        assert token_row(session=uow.session, token=token, now=utcnow() + timedelta(days=7, minutes=1)) is None
        row = token_row(session=uow.session, token=token)
        assert row.expires_at - utcnow() > timedelta(days=6, hours=23)
        uow.session.get(ApiToken, row.id).expires_at = utcnow() - timedelta(seconds=1)  # time passes
        uow.commit()
    assert client.get("/api/v1/complaints", headers=headers).status_code == 401
    _name, forever = _make()
    with unit_of_work() as uow:
        assert token_row(session=uow.session, token=forever, now=utcnow() + timedelta(days=3650))


def test_tokens_revoke_and_days_on_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    env = dict(os.environ, HELPLINE_DATABASE_URL=url, HELPLINE_VAR_DIR=str(tmp_path))
    run("db", "upgrade", env=env)
    token = run("tokens", "create", "crm", "--scope", "api", "--days", "30", env=env).strip()
    run("tokens", "create", "crm", "--scope", "open311", env=env)
    assert token.startswith("hl_")
    assert "2 token(s) named crm revoked" in run("tokens", "revoke", "crm", env=env)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT revoked, expires_at, token_hash FROM api_tokens ORDER BY id")).all()
    engine.dispose()
    assert [r.revoked for r in rows] == [1, 1] and rows[0].expires_at and rows[1].expires_at is None
    assert token not in {r.token_hash for r in rows}
    again = subprocess.run([str(HELPLINE), "tokens", "revoke", "crm"], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "0 token(s)" in again.stdout
    bad = subprocess.run([str(HELPLINE), "tokens", "create", "x", "--scope", "api", "--days", "0"], env=env,
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "--days must be a positive number" in bad.stderr
