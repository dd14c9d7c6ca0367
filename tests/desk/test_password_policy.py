"""The minimum password policy: at least 8 characters, not the login name, not a first guess;
the admin's screen says which rule, in Hindi."""

from __future__ import annotations

import pytest

from models.people.users import GuessablePassword, WeakPassword, add_user
from tests.desk.conftest import post_form


@pytest.mark.parametrize("username, password, refused", [
    ("meena.verma", "short", WeakPassword),
    ("meena.verma", "Password1", GuessablePassword),
    ("meena.verma", "12345678", GuessablePassword),
    ("meena.verma", "MEENA.VERMA", GuessablePassword),
    ("meena.verma", "Helpline@123", GuessablePassword),
])
def test_weak_passwords_are_refused(session, username, password, refused):
    with pytest.raises(refused):
        add_user(session=session, username=username, password=password, role="agent")


def test_a_long_unguessable_password_is_taken(session):
    user = add_user(session=session, username="meena.verma", password="नीम-का-पेड़ 2026", role="agent")
    assert user.check_password("नीम-का-पेड़ 2026") and not user.check_password("meena.verma")


def test_the_admin_screen_names_the_rule_in_hindi(login):
    page = post_form(login("admin"), "/admin/users", "/admin/users",
                     {"username": "guessable.one", "password": "guessable.one", "role": "agent"},
                     follow_redirects=True)
    assert "लॉगिन नाम ही है या आसानी से अनुमान" in page.text and "User added" not in page.text
