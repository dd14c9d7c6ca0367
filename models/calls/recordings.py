"""Where a complaint's recording and a call's conversation are, on this machine: only ever inside
the recordings folder; and how long conversations are kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models.complaints.complaint import Complaint
from models.complaints.drafts import call_of


def recording_file(*, session: Session, complaint: Complaint, recordings_dir: Path) -> Path | None:
    """The complaint's (or its call's) recording, when it is a file inside `recordings_dir`."""
    call = call_of(session=session, complaint=complaint)
    raw = complaint.recording_path or (call.recording_path if call else None)
    if not raw:
        return None
    root = recordings_dir.resolve()
    path = Path(raw)
    path = (path if path.is_absolute() else root / path).resolve()
    for candidate in [path] + [path.with_name(path.name + ext) for ext in (".wav", ".WAV")]:
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    return None


CONVERSATION_PREFIX = "conversation-"


def conversation_file(*, uniqueid: str, recordings_dir: Path) -> Path | None:
    """The caller-agent conversation of the call `uniqueid` (Asterisk's MixMonitor, started by the
    queue when the agent answers), when it exists inside `recordings_dir`."""
    root = recordings_dir.resolve()
    path = (root / f"{CONVERSATION_PREFIX}{uniqueid}.wav").resolve()
    return path if path.is_file() and path.is_relative_to(root) else None


def delete_expired_conversations(*, recordings_dir: Path, older_than: datetime) -> int:
    """The retention job's work: conversation recordings last written before `older_than` are
    deleted (the complaint's own description recordings are kept with the complaint)."""
    deleted = 0
    cutoff = older_than.timestamp()
    for path in recordings_dir.glob(f"{CONVERSATION_PREFIX}*.wav"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # deleted meanwhile
    return deleted


def expire_conversations(*, database=None, now: datetime | None = None, settings=None) -> int:
    """The worker's `recordings-retention` job: conversations older than
    HELPLINE_RECORDING_RETENTION_DAYS are deleted; returns how many."""
    from datetime import timedelta

    from models.core.base import utcnow
    from models.core.settings import get_settings

    settings = settings or get_settings()
    if not settings.recordings_dir.is_dir():
        return 0
    cutoff = (now or utcnow()) - timedelta(days=settings.recording_retention_days)
    return delete_expired_conversations(recordings_dir=settings.recordings_dir, older_than=cutoff)
