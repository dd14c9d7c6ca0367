"""Free-form transcription of a recorded complaint, the resampler, and the worker pool."""

from __future__ import annotations

import asyncio
import threading

import numpy as np

from ivr.speech import Transcriber, recognise_file
from ivr.speech.audio import read_pcm, to_model_rate


def test_resampling_is_band_limited_not_sample_repetition():
    t = np.arange(8000) / 8000
    tone = (8000 * np.sin(2 * np.pi * 1000 * t)).astype(np.int16)
    up = to_model_rate(tone, rate=8000, model_rate=16000).astype(np.float64)
    assert len(up) == 16000
    spectrum = np.abs(np.fft.rfft(up))  # 1 Hz bins
    image = spectrum[6900:7100].max()   # repetition would mirror the 1 kHz tone at 7 kHz
    assert image < spectrum[1000] / 1000


def test_a_recorded_complaint_is_transcribed_free_form(model, complaint_wav):
    samples, rate = read_pcm(complaint_wav)
    assert rate == 8000
    transcript = recognise_file(complaint_wav, model=model)
    assert len(transcript.text.split()) >= 5, transcript.text
    assert 0.0 < transcript.confidence <= 1.0
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts) and transcript.words[-1].end <= transcript.audio_seconds + 0.1
    assert abs(transcript.audio_seconds - len(samples) / rate) < 0.05


def test_transcriber_hands_the_transcript_to_the_callback(model, complaint_wav):
    got, done = [], threading.Event()
    with Transcriber(workers=2) as transcriber:
        future = transcriber.submit(complaint_wav,
                                    on_done=lambda path, t: (got.append((path, t)), done.set()))
        assert done.wait(60)
        assert got[0][0] == complaint_wav and got[0][1].text == future.result().text != ""


def test_transcriber_reports_errors_to_on_error(model, tmp_path):
    errors, done = [], threading.Event()
    with Transcriber(workers=1) as transcriber:
        transcriber.submit(tmp_path / "missing.wav", on_done=lambda *a: None,
                           on_error=lambda path, exc: (errors.append(exc), done.set()))
        assert done.wait(10)
    assert isinstance(errors[0], FileNotFoundError)


def test_transcribe_can_be_awaited(model, complaint_wav):
    async def main():
        with Transcriber(workers=1) as transcriber:
            return await transcriber.transcribe(complaint_wav)

    assert asyncio.run(main()).text
