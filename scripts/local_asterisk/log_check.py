"""The Asterisk log of a test run holds no line that means a missing part.

`python -m scripts.local_asterisk.log_check mark` before the suite notes where the log ends;
`... check` after it prints every line written since that says a module, an application or a
language is missing, and exits 1 when there is one (`make test` runs both).
"""

from __future__ import annotations

import sys
from pathlib import Path

from models.core.settings import Settings, get_settings
from scripts.local_asterisk.config import state_dir

MISSING = ("not currently supported", "No application", "No such application", "Unable to load module")


def log_file(settings: Settings) -> Path:
    return state_dir(settings) / "log" / "full.log"


def mark_file(settings: Settings) -> Path:
    return state_dir(settings) / "log-mark"


def read_since(log: Path, offset: int) -> str:
    """The text the log gained after byte `offset` (all of it when the log was started anew)."""
    with log.open("rb") as f:
        f.seek(offset if offset <= log.stat().st_size else 0)
        return f.read().decode("utf-8", "replace")


def offending_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if any(marker in line for marker in MISSING)]


def main(argv: list[str]) -> int:
    settings = get_settings()
    log, mark = log_file(settings), mark_file(settings)
    size = log.stat().st_size if log.exists() else 0
    if argv[:1] == ["mark"]:
        mark.write_text(str(size))
        return 0
    bad = offending_lines(read_since(log, int(mark.read_text()) if mark.exists() else 0))
    for line in bad:
        print(f"asterisk log: {line}", file=sys.stderr)
    if bad:
        print(f"helpline: {len(bad)} Asterisk log line(s) say a part is missing (see above)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
