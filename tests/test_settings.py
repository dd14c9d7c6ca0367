"""Settings come from the environment once per entrypoint; reading them writes nothing."""

from __future__ import annotations

import pytest

from agent_desk import create_app
from models.core.settings import Settings, get_settings
from scripts.serve import with_secret_key


@pytest.fixture
def fresh_env(monkeypatch, tmp_path):
    for name in ("HELPLINE_SECRET_KEY", "HELPLINE_DEMO_PASSWORD", "HELPLINE_ASTERISK_ROOT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HELPLINE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("HELPLINE_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    return tmp_path / "var"


def test_reading_settings_writes_no_file(fresh_env):
    settings = get_settings()
    assert str(settings.secret_key) == "" and not fresh_env.exists()
    assert str(settings.demo_password) == "Helpline@2026" and "Helpline@2026" not in repr(settings)


def test_the_entrypoint_makes_a_development_key_once(fresh_env):
    first = with_secret_key(get_settings())
    again = with_secret_key(get_settings())
    assert len(str(first.secret_key)) == 64 and first.secret_key == again.secret_key
    assert (fresh_env / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_desk_refuses_to_start_without_a_secret_key(fresh_env):
    with pytest.raises(RuntimeError, match="HELPLINE_SECRET_KEY"):
        create_app(settings=get_settings())


def test_settings_are_typed(monkeypatch, fresh_env):
    monkeypatch.setenv("HELPLINE_HTTP_PORT", "eighty")
    with pytest.raises(ValueError, match="HELPLINE_HTTP_PORT must be a whole number"):
        Settings.from_env()
