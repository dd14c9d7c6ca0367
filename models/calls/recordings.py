"""Where a complaint's recording is, on this machine: only ever inside the recordings folder."""

from __future__ import annotations

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
