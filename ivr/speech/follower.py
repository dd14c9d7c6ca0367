"""Recognise a recording while Asterisk writes it, so the transcript is ready when the caller stops."""

from __future__ import annotations

import logging
import struct
import threading
import time
from pathlib import Path
from typing import BinaryIO, Callable

import numpy as np

from ivr.speech.audio import SLIN_RATES, StreamResampler
from ivr.speech.decoder import Decoder
from ivr.speech.grammar import WordList
from ivr.speech.model import SpeechModel
from ivr.speech.shared import get_model
from ivr.speech.transcript import Transcript

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
OnDone = Callable[[Path, Transcript], None]


def _wav_data_start(handle: BinaryIO) -> tuple[int, int] | None:
    """(offset of the sample data, sample rate) once the RIFF header is on disk, else None."""
    handle.seek(0)
    head = handle.read(4096)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    at, rate = 12, None
    while at + 8 <= len(head):
        chunk, size = head[at:at + 4], struct.unpack("<I", head[at + 4:at + 8])[0]
        if chunk == b"fmt " and at + 16 <= len(head):
            channels, rate = struct.unpack("<HI", head[at + 10:at + 16])
            if channels != 1:
                raise ValueError("the follower expects mono telephone audio")
        if chunk == b"data":
            return (at + 8, rate or 8000)
        at += 8 + size + (size & 1)
    return None


def _wait_for_start(path: Path, done: threading.Event, timeout: float) -> tuple[BinaryIO, int, int]:
    """Open the file once it exists (and has a header) and return (handle, data offset, rate)."""
    deadline = time.monotonic() + timeout
    while True:
        if path.exists():
            handle = path.open("rb")
            if path.suffix.lower() in SLIN_RATES:
                return handle, 0, SLIN_RATES[path.suffix.lower()]
            start = _wav_data_start(handle)
            if start is not None:
                return handle, *start
            handle.close()
        if time.monotonic() > deadline or (done.is_set() and not path.exists()):
            raise FileNotFoundError(f"recording {path} did not appear")
        time.sleep(POLL_SECONDS)


def follow_recording(path: Path, *, done_event: threading.Event, model: SpeechModel | None = None,
                     word_list: WordList | None = None, appear_timeout: float = 10.0) -> Transcript:
    """Tail a growing WAV/slin file into a recogniser until `done_event` is set and the file drained."""
    model = model or get_model()
    path = Path(path)
    handle, offset, rate = _wait_for_start(path, done_event, appear_timeout)
    decoder = Decoder(model=model, word_list=word_list)
    resampler = StreamResampler(rate=rate, model_rate=model.sample_rate)
    with handle:
        handle.seek(offset)
        carry = b""
        while True:
            finished = done_event.is_set()  # checked before reading, so the last read sees all
            data = carry + handle.read()
            usable = len(data) - len(data) % 2
            carry = data[usable:]
            if usable:
                decoder.feed(resampler.feed(np.frombuffer(data[:usable], dtype="<i2")))
            if finished:
                decoder.feed(resampler.feed(np.zeros(0, dtype=np.int16), last=True))
                return decoder.finish()
            if not usable:
                done_event.wait(POLL_SECONDS)


def follow_in_thread(path: Path, *, done_event: threading.Event, on_done: OnDone,
                     word_list: WordList | None = None) -> threading.Thread:
    """Follow a recording in its own thread (mostly waiting on the disk), then call on_done."""

    def run() -> None:
        try:
            transcript = follow_recording(path, done_event=done_event, word_list=word_list)
            on_done(Path(path), transcript)
        except Exception:
            log.exception("following recording %s failed", path)

    thread = threading.Thread(target=run, name=f"follow-{Path(path).name}", daemon=True)
    thread.start()
    return thread
