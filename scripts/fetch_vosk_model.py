"""Fetch a Hindi Vosk model from alphacephei's site, verify its checksum, unpack it under var/.

    python scripts/fetch_vosk_model.py                      # vosk-model-small-hi-0.22
    python scripts/fetch_vosk_model.py vosk-model-hi-0.22   # the 1.5 GB server model
Then: export HELPLINE_VOSK_MODEL=<printed folder>. Needs internet; the tests never run it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import sys
import urllib.request
import zipfile
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CHECKSUMS = ROOT / "config" / "speech" / "models.json"
MODEL_LIST_URL = "https://alphacephei.com/vosk/models/model-list.json"


class ChecksumMismatch(ValueError):
    """The downloaded file is not the one the checksum file names."""


class NothingToVerify(ValueError):
    """No size, md5 or sha256 is known for this model, so a download cannot be trusted."""


def digests(path: Path) -> dict:
    """Size, md5 and sha256 of a file, read once in 1 MB blocks."""
    md5, sha256, size = hashlib.md5(), hashlib.sha256(), 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            md5.update(block)
            sha256.update(block)
            size += len(block)
    return {"size": size, "md5": md5.hexdigest(), "sha256": sha256.hexdigest()}


def verify(path: Path, *, expected: dict) -> dict:
    """Check every known field (size, md5, sha256); raise unless at least one is known and all match."""
    known = {k: v for k, v in expected.items() if k in ("size", "md5", "sha256") and v}
    if not known:
        raise NothingToVerify(f"no checksum known for {path.name}: fill it in {CHECKSUMS}")
    actual = digests(path)
    wrong = [f"{k}: expected {v}, got {actual[k]}" for k, v in known.items()
             if str(actual[k]).lower() != str(v).lower()]
    if wrong:
        raise ChecksumMismatch(f"{path.name}: " + "; ".join(wrong))
    return actual


def upstream_entry(name: str) -> dict:
    """md5 and size from alphacephei's model-list.json, to cross-check the pinned ones."""
    with urllib.request.urlopen(MODEL_LIST_URL, timeout=30) as reply:
        listing = json.load(reply)
    entry = next((m for m in listing if m.get("name") == name), {})
    return {"md5": entry.get("md5"), "size": entry.get("size")}


def fetch(name: str, *, dest: Path, check_upstream: bool = True) -> Path:
    """Download, verify and unpack one model; returns the model folder."""
    expected = dict(json.loads(CHECKSUMS.read_text())["models"][name])
    if check_upstream:
        upstream = upstream_entry(name)
        for field, value in upstream.items():
            if value and expected.get(field) and str(value) != str(expected[field]):
                raise ChecksumMismatch(f"{name}: pinned {field} {expected[field]} differs from "
                                       f"upstream {value}; find out why before trusting either")
            expected[field] = expected.get(field) or value
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / f"{name}.zip"
    log.info("downloading %s", expected["url"])
    with urllib.request.urlopen(expected["url"], timeout=60) as reply, archive.open("wb") as out:
        shutil.copyfileobj(reply, out, 1 << 20)
    actual = verify(archive, expected=expected)
    print(f"verified {archive.name}: size {actual['size']} md5 {actual['md5']} sha256 {actual['sha256']}")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(dest)
    archive.unlink()
    return dest / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", default="vosk-model-small-hi-0.22",
                        choices=sorted(json.loads(CHECKSUMS.read_text())["models"]))
    parser.add_argument("--dest", type=Path, default=ROOT / "var" / "models")
    parser.add_argument("--no-upstream-check", action="store_true",
                        help="don't cross-check with alphacephei's model-list.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        folder = fetch(args.name, dest=args.dest, check_upstream=not args.no_upstream_check)
    except (ChecksumMismatch, NothingToVerify) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"export HELPLINE_VOSK_MODEL={folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
