"""Views stay thin: no file of the desk's screens or of the JSON API queries or writes the
database itself; that is the job of a function in models/ beside the noun it concerns."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEW_PACKAGES = [ROOT / "agent_desk" / "web", ROOT / "agent_desk" / "api"]
# session.add / session.delete (also uow.session.add), a select(...), or importing select.
OFFENCE = re.compile(r"\bsession\.(?:add|add_all|delete)\b|\bselect\(|from\s+sqlalchemy\b.*\bselect\b")


def offences(text: str) -> list[str]:
    """The lines of `text` that query or write the database themselves."""
    return [line.strip() for line in text.splitlines() if OFFENCE.search(line)]


def test_no_view_queries_or_writes_the_database():
    found = {}
    for package in VIEW_PACKAGES:
        for path in sorted(package.rglob("*.py")):
            lines = offences(path.read_text(encoding="utf-8"))
            if lines:
                found[str(path.relative_to(ROOT))] = lines
    assert not found, f"move these into a function in models/: {found}"


def test_the_check_sees_each_kind_of_offence():
    assert offences("rows = db.session().scalars(select(User))") == ["rows = db.session().scalars(select(User))"]
    assert len(offences("uow.session.add(user)\nsession.delete(row)\nsession.add_all(rows)")) == 3
    assert offences("from sqlalchemy import or_, select") == ["from sqlalchemy import or_, select"]
    assert offences("locale = select_locale()\nsession.get(User, 1)\nfrom sqlalchemy.orm import Session") == []
