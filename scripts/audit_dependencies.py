"""pip-audit over the installed environment (the venv `make venv` builds), against PyPI's
vulnerability records: `python -m scripts.audit_dependencies` prints every known vulnerability
and exits 1 when one is not listed, with its reason, in config/pip-audit-ignore.txt.

pip-audit's PyPI service asks for each version's own JSON document; where PyPI answers 404 for
it (the project machines reach PyPI through a mirror that serves only the project's document),
the project's document is asked instead: its `vulnerabilities` are those of the latest release,
so they count when the installed version is the latest, and an older installed version is
reported as not audited (the figure is printed; docs/RELIABILITY.md has today's).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pip_audit._audit import Auditor
from pip_audit._dependency_source import PipSource
from pip_audit._service.interface import SkippedDependency
from pip_audit._service.pypi import PyPIService

IGNORED = Path(__file__).resolve().parent.parent / "config" / "pip-audit-ignore.txt"


class _ProjectDocuments:
    """A session that asks for /pypi/NAME/json where pip-audit asks for /pypi/NAME/VERSION/json."""

    def __init__(self, session):
        self.session = session

    def get(self, url: str, timeout=None):
        return self.session.get(url=re.sub(r"/pypi/([^/]+)/[^/]+/json$", r"/pypi/\1/json", url),
                                timeout=timeout)


class PyPIProjectService(PyPIService):
    """PyPIService, falling back on the project's document when the version's own is not served."""

    def __init__(self, timeout: int = 30):
        super().__init__(timeout=timeout)
        self.latest_only = PyPIService(timeout=timeout)
        self.latest_only.session = _ProjectDocuments(self.session)

    def query(self, spec):
        found, vulnerabilities = super().query(spec)
        if spec.is_skipped() or not found.is_skipped():
            return found, vulnerabilities
        response = self.session.get(url=f"https://pypi.org/pypi/{spec.canonical_name}/json", timeout=self.timeout)
        if response.status_code != 200:
            return found, vulnerabilities
        latest = response.json()["info"]["version"]
        if latest != str(spec.version):
            return SkippedDependency(name=spec.name, skip_reason=(
                f"{spec.canonical_name} {spec.version} is not the latest release ({latest}), and PyPI's "
                "record of that version is not reachable")), []
        return self.latest_only.query(spec)


def ignored(path: Path = IGNORED) -> dict[str, str]:
    """The ignore file: `ID  reason` a line; '#' starts a comment. A line without a reason is an error."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f"{path.name}:{number}: {vuln_id} needs a reason")
        found[vuln_id] = reason.strip()
    return found


@dataclass
class Audit:
    audited: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)     # not ignored: these fail the audit
    accepted: list[str] = field(default_factory=list)     # ignored, with the reason


def audit(service=None, source=None, ignore: dict[str, str] | None = None) -> Audit:
    """Audit the installed distributions (not the project itself, installed editable)."""
    ignore = ignored() if ignore is None else ignore
    result = Audit()
    source = source or PipSource(local=True, skip_editable=True)
    for dependency, vulnerabilities in Auditor(service or PyPIProjectService()).audit(source):
        if dependency.is_skipped():
            if "editable" not in dependency.skip_reason:
                result.not_audited.append(dependency.skip_reason)
            continue
        result.audited.append(f"{dependency.canonical_name} {dependency.version}")
        for vulnerability in vulnerabilities:
            ids = {vulnerability.id, *vulnerability.aliases}
            fixes = ", ".join(str(v) for v in vulnerability.fix_versions) or "none yet"
            line = f"{dependency.canonical_name} {dependency.version}: {vulnerability.id} (fixed in {fixes})"
            reasons = [ignore[i] for i in ids if i in ignore]
            (result.accepted if reasons else result.findings).append(
                f"{line}: ignored, {reasons[0]}" if reasons else f"{line}: {vulnerability.description[:200]}")
    return result


def main() -> int:
    result = audit()
    print(f"pip-audit: {len(result.audited)} distributions audited, {len(result.not_audited)} not audited, "
          f"{len(result.findings)} vulnerabilities, {len(result.accepted)} ignored with a reason")
    for line in result.not_audited:
        print(f"  not audited: {line}")
    for line in result.accepted + result.findings:
        print(f"  {line}")
    return 1 if result.findings else 0


if __name__ == "__main__":
    sys.exit(main())
