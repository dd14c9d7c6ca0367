"""Transcription off the call path: a pool sized to the cores, results handed to a callback."""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Literal

from ivr.speech.recognise import recognise_file
from ivr.speech.shared import get_model
from ivr.speech.transcript import Transcript

log = logging.getLogger(__name__)

OnDone = Callable[[Path, Transcript], None]


def _transcribe_in_worker(path: str) -> Transcript:
    return recognise_file(Path(path))


class Transcriber:
    """Threads share the one model (Vosk's decoder runs without the GIL); processes load their own."""

    def __init__(self, *, workers: int | None = None,
                 kind: Literal["thread", "process"] = "thread") -> None:
        self.workers = workers or os.cpu_count() or 1
        self.kind = kind
        if kind == "thread":
            get_model()  # load before the first call needs it; raises SpeechUnavailable
            self._pool: Executor = ThreadPoolExecutor(self.workers, thread_name_prefix="vosk")
        else:
            self._pool = ProcessPoolExecutor(self.workers, initializer=get_model)

    def submit(self, path: Path, *, on_done: OnDone | None = None,
               on_error: Callable[[Path, BaseException], None] | None = None) -> Future[Transcript]:
        """Queue a recording; `on_done(path, transcript)` runs in a worker thread when it is ready."""
        path = Path(path)
        future = self._pool.submit(_transcribe_in_worker, str(path))

        def finished(done: Future[Transcript]) -> None:
            error = done.exception()
            if error is not None:
                log.error("transcription of %s failed: %s", path, error)
                if on_error is not None:
                    on_error(path, error)
                return
            if on_done is not None:
                try:
                    on_done(path, done.result())
                except Exception:
                    log.exception("transcript callback for %s failed", path)

        future.add_done_callback(finished)
        return future

    async def transcribe(self, path: Path) -> Transcript:
        """Await a recording's transcript without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(path))

    def close(self, *, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)

    def __enter__(self) -> "Transcriber":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

