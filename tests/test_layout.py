"""The layout's rules (docs/architecture.md), checked: import contracts, and docs that cite real files."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# A path a document cites: `models/complaints/sla.py`, `ivr/agi/`, `dialplans/extensions.conf` …
CITED = re.compile(r"`((?:models|ivr|agent_desk|scripts|tests|config|dialplans|docs)/[\w./-]*)`")


def test_import_contracts_are_kept():
    assert LINT_IMPORTS.exists(), "import-linter is missing: pip install -e '.[test]'"
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    kept = re.search(r"Contracts: (\d+) kept, (\d+) broken", result.stdout)
    assert kept and int(kept[1]) >= 6 and kept[2] == "0", result.stdout[-2000:]


def cited_paths(text: str) -> set[str]:
    return {m.rstrip(".:,") for m in CITED.findall(text) if "*" not in m and "…" not in m}


def test_every_path_a_document_cites_exists():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    missing = {}
    for doc in documents:
        gone = sorted(p for p in cited_paths(doc.read_text(encoding="utf-8")) if not (ROOT / p).exists())
        if gone:
            missing[doc.name] = gone
    assert not missing, f"documents cite files that do not exist: {missing}"


# A module or name a document cites: `models.complaints.sla.sweep_overdue`, `ivr.app` …
NAMED = re.compile(r"`((?:models|ivr|agent_desk|scripts)(?:\.[A-Za-z_]\w*)+)")


FILE_NAME = re.compile(r"\.(json|py|toml|csv|conf|md|wav|txt)$")  # `models.json` is a file, not a module


def resolves(dotted: str) -> bool:
    """The longest importable module of `dotted`, then attributes for the rest."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_every_module_a_document_names_exists():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    missing = {doc.name: sorted(n for n in set(NAMED.findall(doc.read_text(encoding="utf-8")))
                                if not FILE_NAME.search(n) and not resolves(n)) for doc in documents}
    missing = {doc: names for doc, names in missing.items() if names}
    assert not missing, f"documents name modules or functions that do not exist: {missing}"
    assert not resolves("models.complaints.no_such_module") and resolves("models.complaints.sla.sweep_overdue")


def test_citation_check_sees_a_missing_file():
    assert cited_paths("see `models/complaints/sla.py` and `ivr/nothing_here.py`.") == {
        "models/complaints/sla.py", "ivr/nothing_here.py"}
