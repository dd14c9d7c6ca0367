"""The model fetcher's checksum verification, on a small local file (the tests have no internet)."""

from __future__ import annotations

import hashlib
import json

import pytest

from scripts.fetch_vosk_model import (
    CHECKSUMS,
    ChecksumMismatch,
    NothingToVerify,
    verify,
)


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "model.zip"
    path.write_bytes(b"vosk model bytes " * 1000)
    return path


def test_matching_checksums_pass(archive):
    data = archive.read_bytes()
    actual = verify(archive, expected={"size": len(data), "md5": hashlib.md5(data).hexdigest(),
                                       "sha256": hashlib.sha256(data).hexdigest().upper()})
    assert actual["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_changed_byte_is_refused(archive):
    expected = {"sha256": hashlib.sha256(archive.read_bytes()).hexdigest()}
    archive.write_bytes(archive.read_bytes()[:-1] + b"X")
    with pytest.raises(ChecksumMismatch, match="sha256"):
        verify(archive, expected=expected)


def test_wrong_size_is_refused_even_when_md5_is_unknown(archive):
    with pytest.raises(ChecksumMismatch, match="size"):
        verify(archive, expected={"size": 44458845, "md5": None, "sha256": None})


def test_nothing_known_means_no_trust(archive):
    with pytest.raises(NothingToVerify, match="models.json"):
        verify(archive, expected={"url": "https://example.invalid/x.zip", "md5": None})


def test_the_small_hindi_model_is_pinned():
    pinned = json.loads(CHECKSUMS.read_text())["models"]["vosk-model-small-hi-0.22"]
    assert pinned["size"] == 44458845 and len(pinned["md5"]) == 32
    assert pinned["url"].startswith("https://alphacephei.com/vosk/models/")
