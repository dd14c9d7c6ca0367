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


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, fresh_env):
    with_secret_key(get_settings())  # a development key now exists under var/ ...
    monkeypatch.setenv("HELPLINE_ENV", "production")
    settings = get_settings()
    assert str(settings.secret_key) == "" and settings.secure_cookies  # ... and production ignores it
    with pytest.raises(SystemExit, match="HELPLINE_SECRET_KEY is not set: HELPLINE_ENV=production"):
        with_secret_key(settings)
    with pytest.raises(RuntimeError, match="HELPLINE_SECRET_KEY"):
        create_app(settings=settings)
    monkeypatch.setenv("HELPLINE_SECRET_KEY", "k" * 64)
    assert create_app(settings=get_settings()).config["SESSION_COOKIE_SECURE"] is True


def test_security_settings_from_the_environment(monkeypatch, fresh_env):
    settings = get_settings()
    assert settings.development and not settings.secure_cookies and settings.login_max_failures == 5
    monkeypatch.setenv("HELPLINE_SECURE_COOKIES", "on")
    monkeypatch.setenv("HELPLINE_SESSION_IDLE_MINUTES", "20")
    monkeypatch.setenv("HELPLINE_ENV", "staging")
    with pytest.raises(ValueError, match="HELPLINE_ENV must be one of development, production"):
        get_settings()
    monkeypatch.setenv("HELPLINE_ENV", "development")
    assert get_settings().secure_cookies and get_settings().session_idle_minutes == 20
