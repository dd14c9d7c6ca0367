"""The local Asterisk's fixtures (shared with tests/e2e)."""

from tests.asterisk_fixtures import ami, asterisk_settings, loop, run, test_audio  # noqa: F401
