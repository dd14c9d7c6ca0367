"""The call flows' listener: a district or yes/no by voice, None when unsure so the keypad takes over."""

from __future__ import annotations

import asyncio

import pytest

from ivr.speech import VoskListener
from tests.speech.audio_maker import phone_line, speak_8k, write_wav

CITIES = [("SEL", "서울", "Seoul"), ("TJN", "대전", "Daejeon"), ("PUS", "부산", "Busan"),
          ("KWJ", "광주", "Gwangju")]


@pytest.fixture
def said(tmp_path):
    def make(text: str):
        return write_wav(tmp_path / "said.wav", phone_line(speak_8k(text)))
    return make


def test_a_district_is_recognised_from_the_choices_given(model, said):
    listener = VoskListener()
    assert asyncio.run(listener.recognise_district(said("대전"), language="ko", districts=CITIES)) == "TJN"


def test_an_unsure_district_gives_none_for_the_keypad(model, said, dither_seed):
    listener = VoskListener()
    dither_seed(2)  # the model hears 부산 at 0.43 in this draw, as in most (test_speech_grammar)
    heard = asyncio.run(listener.recognise_district(said("광주"), language="ko", districts=CITIES))
    assert heard is None


def test_yes_no_by_voice(model, said):
    listener = VoskListener()
    assert asyncio.run(listener.recognise_yes_no(said("네"), language="ko")) == "yes"


def test_a_missing_recording_gives_none(model, tmp_path):
    listener = VoskListener()
    assert asyncio.run(listener.recognise_yes_no(tmp_path / "none.wav", language="ko")) is None
