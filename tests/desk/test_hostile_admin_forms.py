"""The master-data, user and hearing forms with generated hostile text (hypothesis): a value is
stored as text is kept (models/core/text.py: NFC, no zero-width or control characters), or the form
comes back (400) naming the field in Hindi, with nothing written."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import date, timedelta
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.core.db import unit_of_work
from models.core.text import normalise_text
from models.jandarshan.hearings import Hearing
from models.people.users import User, find_user
from models.reference.calendar import default_calendar
from models.reference.holidays import Holiday
from tests.desk.conftest import post_form

# Devanagari with its combining marks, Latin, and what the rule removes or keeps only between letters
TEXT = st.text(st.one_of(st.characters(min_codepoint=0x0900, max_codepoint=0x097F),
                         st.characters(codec="utf-8", exclude_categories=["Cs"]),
                         st.sampled_from(["\u200b", "\ufeff", "\u202e", "\u200c", "\u200d", "\u00ad",
                                          "\u093c", "\t", "\r", "\n", " "])), max_size=30)
HOSTILE = settings(max_examples=15, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_days = itertools.count()


def _hostile(value: str, cap: int, over: bool) -> str:
    """`value`, or (`over`) a value longer than `cap` once normalised."""
    return "न" * (cap + 2) + value if over else value


def _count(model) -> int:
    with unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def _kept_clean(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text) and not any(
        unicodedata.category(c) in ("Cc", "Cs") or c in "\u200b\ufeff\u202e\u00ad" for c in text)


def _refused(response, field: str, cap: int, before: int, model) -> None:
    """The form came back naming `field` in Hindi, and no row of `model` was written."""
    assert response.status_code == 400, response.status_code
    assert f'data-field="{field}"' in response.text
    assert f"अधिकतम {cap} अक्षर।" in response.text or "यह आवश्यक है।" in response.text
    assert _count(model) == before


def _free_day() -> date:
    """A day in 2040 that is no holiday yet (far from every test's due times)."""
    day = date(2040, 1, 1) + timedelta(days=next(_days))
    return day if day not in default_calendar().holidays else _free_day()


@HOSTILE
@given(value=TEXT, over=st.booleans())
def test_a_holidays_name_is_stored_clean_or_named(login, value, over):
    admin = login("admin")
    cap, day = Holiday.name.type.length, _free_day()
    value, before = _hostile(value, cap, over), _count(Holiday)
    response = post_form(admin, "/admin/manage/holidays?lang=hi", "/admin/manage/holidays",
                         {"day": day.isoformat(), "name": value})
    expected = normalise_text(value)
    if 1 <= len(expected) <= cap:
        assert response.status_code == 302, response.text
        with unit_of_work() as uow:
            stored = uow.session.get(Holiday, day).name
        assert stored == expected and _kept_clean(stored)
    else:
        _refused(response, "name", cap, before, Holiday)


@HOSTILE
@given(field=st.sampled_from(["username", "full_name", "phone_interface"]), value=TEXT, over=st.booleans())
def test_a_users_names_are_stored_clean_or_named(login, field, value, over):
    admin = login("admin")
    cap = getattr(User, field).type.length
    username = f"hostile-{uuid4().hex[:8]}"
    values = {"username": username, "password": "long-enough-1", "role": "agent", "full_name": "",
              "phone_interface": f"Local/{username}"}
    # a unique login name and phone interface whatever hypothesis adds
    values[field] = _hostile(values[field] + value if field != "full_name" else value, cap, over)
    before = _count(User)
    response = post_form(admin, "/admin/users?lang=hi", "/admin/users", values)
    expected = normalise_text(values[field])
    if len(expected) <= cap:
        assert response.status_code == 302, response.text
        with unit_of_work() as uow:
            user = find_user(session=uow.session, username=normalise_text(values["username"]))
            stored = getattr(user, field)
        assert stored == (expected or username) and _kept_clean(stored)
    else:
        _refused(response, field, cap, before, User)


@HOSTILE
@given(field=st.sampled_from(["place", "presiding_authority"]), value=TEXT, over=st.booleans())
def test_a_hearings_place_and_presiding_authority_are_stored_clean_or_named(login, field, value, over):
    operator = login("jandarshan.raipur")
    cap = getattr(Hearing, field).type.length
    # an old date: the hearing lists, latest first, show other tests' hearings before these
    values = {"kind": "cm", "held_on": "2020-01-01", "place": "रायपुर", "presiding_authority": "मुख्यमंत्री"}
    values[field] = _hostile(value, cap, over)
    before = _count(Hearing)
    response = post_form(operator, "/jandarshan/?lang=hi", "/jandarshan/hearings", values)
    expected = normalise_text(values[field])
    if 1 <= len(expected) <= cap:
        assert response.status_code == 302, response.text
        with unit_of_work() as uow:
            stored = getattr(uow.session.get(Hearing, int(response.location.rsplit("/", 1)[-1])), field)
        assert stored == expected and _kept_clean(stored)
    else:
        _refused(response, field, cap, before, Hearing)
