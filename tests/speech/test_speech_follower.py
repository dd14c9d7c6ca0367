"""Streaming: the transcript of a recording that Asterisk is still writing, ready when it stops."""

from __future__ import annotations

import struct
import threading
import time
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from ivr.speech import follow_recording, recognise_file
from ivr.speech.audio import read_pcm

STEP = 32 * 1024  # RECORD FILE writes in 32 KB steps (DESIGN.md)


def wav_header(rate: int = 8000) -> bytes:
    """A header as Asterisk writes it first: sizes zero, fixed at the end."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return b"RIFF" + struct.pack("<I", 0) + b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 0)


def write_like_asterisk(source: Path, target: Path, done: threading.Event, *, speed: float) -> None:
    """Append the samples in 32 KB steps at `speed` times real time, then signal the end."""
    samples, rate = read_pcm(source)
    data = samples.tobytes()
    with target.open("wb") as out:
        out.write(wav_header(rate))
        for at in range(0, len(data), STEP):
            out.write(data[at:at + STEP])
            out.flush()
            time.sleep(len(data[at:at + STEP]) / (2 * rate) / speed)
    done.set()


@pytest.mark.slow  # left out of `make check`
def test_the_follower_has_the_transcript_within_a_second_of_the_end(model, complaint_wav, tmp_path):
    target, done, result = tmp_path / "growing.wav", threading.Event(), {}

    def follow():
        result["transcript"] = follow_recording(target, done_event=done, model=model)
        result["at"] = time.monotonic()

    follower = threading.Thread(target=follow)
    follower.start()  # before the file exists, as when RECORD FILE starts
    write_like_asterisk(complaint_wav, target, done, speed=1.0)  # as a caller speaks
    ended = time.monotonic()
    follower.join(30)
    assert result["at"] - ended < 1.0
    batch = recognise_file(complaint_wav, model=model)
    streamed = result["transcript"].text.split()
    assert streamed and SequenceMatcher(None, streamed, batch.text.split()).ratio() >= 0.6  # Vosk varies run to run (measured)
    assert abs(result["transcript"].audio_seconds - batch.audio_seconds) < 0.05
