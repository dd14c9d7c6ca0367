"""A complaint's recording is served only from inside the recordings folder."""

from __future__ import annotations

from models.calls.recordings import recording_file
from models.complaints import service as complaints


def test_recording_inside_the_folder_is_found_and_outside_is_not(session, tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "1700000000.1.wav").write_bytes(b"RIFF")
    (tmp_path / "secret.wav").write_bytes(b"RIFF")
    inside = complaints.create_draft(session=session, mobile="9876500001", recording_path="1700000000.1")
    outside = complaints.create_draft(session=session, mobile="9876500002",
                                      recording_path=str(folder / ".." / "secret"))
    none = complaints.create_draft(session=session, mobile="9876500003")
    assert recording_file(session=session, complaint=inside, recordings_dir=folder) == \
        (folder / "1700000000.1.wav").resolve()
    assert recording_file(session=session, complaint=outside, recordings_dir=folder) is None
    assert recording_file(session=session, complaint=none, recordings_dir=folder) is None


def test_conversations_past_the_retention_period_are_deleted(tmp_path):
    import os
    from datetime import datetime, timedelta, timezone

    from models.calls.recordings import conversation_file, delete_expired_conversations

    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    old, fresh, description = (tmp_path / "conversation-1.1.wav", tmp_path / "conversation-2.2.wav",
                               tmp_path / "draft-2600000001.wav")
    for path, age_days in ((old, 400), (fresh, 10), (description, 400)):
        path.write_bytes(b"RIFF" + b"\0" * 100)
        stamp = (now - timedelta(days=age_days)).timestamp()
        os.utime(path, (stamp, stamp))
    assert conversation_file(uniqueid="1.1", recordings_dir=tmp_path) == old.resolve()
    assert delete_expired_conversations(recordings_dir=tmp_path, older_than=now - timedelta(days=365)) == 1
    assert not old.exists() and fresh.exists() and description.exists()
    assert conversation_file(uniqueid="1.1", recordings_dir=tmp_path) is None
    assert conversation_file(uniqueid="../draft-2600000001", recordings_dir=tmp_path) is None
