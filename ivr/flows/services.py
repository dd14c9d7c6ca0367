"""What every call flow shares in one server process: database, call journal, prompts, speech."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ivr.flows import queries
from ivr.flows.database import DatabaseThreads
from ivr.flows.journal import Journal
from ivr.flows.listener import Listener
from ivr.prompts.catalogue import VOICES
from ivr.prompts.render import synthesise
from models.core.db import Database
from models.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class IvrServices:
    settings: Settings
    db: DatabaseThreads
    journal: Journal
    asterisk_prompts_dir: str
    listener: Listener | None = None
    speech: bool = False  # transcribe each description while it is recorded (ivr/speech)
    record_max_ms: int = 120_000
    record_silence_s: int = 4
    record_wait_s: int = 10  # silence allowed after the beep before the first word
    _districts: list[queries.DistrictEntry] | None = field(default=None, repr=False)
    _rendering: dict[str, asyncio.Task] = field(default_factory=dict, repr=False)

    def prompt_path(self, language: str, key: str) -> str:
        """The prompt as Asterisk opens it: a path without the extension."""
        return f"{self.asterisk_prompts_dir}/{language}/{key}"

    def recording_paths(self, name: str) -> tuple[str, Path]:
        """Where Asterisk writes `name` (no extension) and where we read the WAV."""
        return (f"{self.settings.asterisk_recordings_dir}/{name}",
                self.settings.recordings_dir / f"{name}.wav")

    async def districts(self) -> list[queries.DistrictEntry]:
        """The districts in keypad order, read once per process."""
        if self._districts is None:
            self._districts = await self.db.run(queries.districts)
        return self._districts

    async def text_prompt(self, language: str, text: str) -> str | None:
        """A prompt key for free text (an officer's designation), rendered once and cached."""
        key = "dyn/" + hashlib.sha1(f"{language}\0{text}".encode()).hexdigest()[:16]
        dest = self.settings.prompts_dir / language / f"{key}.wav"
        if dest.exists():
            return key
        task = self._rendering.get(key)
        if task is None:
            task = asyncio.create_task(asyncio.to_thread(
                synthesise, text, VOICES.get(language, language), dest))
            self._rendering[key] = task
        try:
            await task
        except Exception as exc:  # no espeak-ng: the read-out goes on without the designation
            log.warning("could not render %r: %s", text, exc)
            return None
        finally:
            self._rendering.pop(key, None)
        return key

    async def follow_recording(self, path: Path, uniqueid: str) -> threading.Event | None:
        """Start transcribing `path` as Asterisk writes it; set the event when it ends."""
        if not self.speech:
            return None
        from ivr.speech.jobs import follow_call_recording

        try:
            return await asyncio.to_thread(follow_call_recording, path, database=self.db.database,
                                           call_uniqueid=uniqueid)
        except Exception:
            log.exception("call %s: could not start the transcription", uniqueid)
            return None

    async def close(self) -> None:
        await self.journal.close()
        self.db.close()


def create_services(settings: Settings, *, listener: Listener | None = None,
                    speech: bool = False, db_workers: int = 8) -> IvrServices:
    """Services for one event loop, with their own Database on settings.database_url; call from
    inside the loop."""
    settings.recordings_dir.mkdir(parents=True, exist_ok=True)
    db = DatabaseThreads(Database(settings.database_url), workers=db_workers)
    return IvrServices(settings=settings, db=db, journal=Journal(db),
                       asterisk_prompts_dir=settings.asterisk_prompts_dir.rstrip("/"), listener=listener,
                       speech=speech)
