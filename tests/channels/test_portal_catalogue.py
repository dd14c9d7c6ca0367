"""Every text the portal shows has its Hindi in the portal's catalogue (Hindi comes first)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "agent_desk/templates/portal").glob("*.html")),
           ROOT / "agent_desk/web/portal.py", ROOT / "agent_desk/portal/forms.py", ROOT / "agent_desk/portal/words.py"]
CALL = re.compile(r'''\bt\(\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*|'[^']*')''')
TABLES = re.compile(r'''^\s+(?:"[a-z_]+"|\("[a-z_]+", (?:None|"[a-z_]+")\)):\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)''', re.MULTILINE)


def shown_texts() -> set[str]:
    found = set()
    for path in SOURCES:
        source = path.read_text()
        for match in [*CALL.finditer(source), *TABLES.finditer(source)]:
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'', match.group(1))
            found.add("".join(a or b for a, b in parts).replace('\\"', '"'))
    return found


def test_every_portal_text_has_a_hindi_translation():
    with open(ROOT / "agent_desk/portal/translations/hi/LC_MESSAGES/portal.po", "rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    texts = shown_texts()
    assert len(texts) > 80
    missing = sorted(text for text in texts if not catalogue.get(text))
    assert missing == []
    assert all(re.search("[\u0900-\u097f]", catalogue[text]) for text in texts)


def test_the_compiled_catalogue_matches_its_source():
    from babel.messages.mofile import read_mo

    folder = ROOT / "agent_desk/portal/translations/hi/LC_MESSAGES"
    with open(folder / "portal.po", "rb") as po, open(folder / "portal.mo", "rb") as mo:
        source = {m.id: m.string for m in read_po(po) if m.id}
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    assert compiled == source, "run: .venv/bin/pybabel compile -d agent_desk/portal/translations -D portal"
