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
