"""pip-audit in make test: the installed environment against PyPI's vulnerability records
(scripts/audit_dependencies.py), failing on any vulnerability not listed with its reason in
config/pip-audit-ignore.txt."""

from __future__ import annotations

import pytest
from packaging.version import Version
from pip_audit._service.interface import VulnerabilityResult, VulnerabilityService

from scripts.audit_dependencies import IGNORED, audit, ignored


@pytest.mark.slow  # asks PyPI about every installed distribution (10-20 s): make test, not make check
def test_the_installed_environment_has_no_unlisted_vulnerability():
    result = audit()
    assert not result.findings, "\n".join(result.findings)
    # Installed versions are pinned while PyPI moves on, so "not audited" grows with new releases
    # (scripts/audit_dependencies.py); the audit must still reach PyPI and cover a good part.
    assert len(result.audited) >= 10, result.not_audited
    print(f"pip-audit: {len(result.audited)} audited, {len(result.not_audited)} not audited")


class RecordingPyPI(VulnerabilityService):
    """PyPI as a test needs it: werkzeug has one vulnerability; every question is recorded."""

    def __init__(self):
        self.asked = []

    def query(self, spec):
        self.asked.append(spec.canonical_name)
        if spec.canonical_name != "werkzeug":
            return spec, []
        return spec, [VulnerabilityResult.create(ids=["PYSEC-0000-1", "CVE-0000-1"], description="a test",
                                                 fix_versions=[Version("99.0")], published=None)]


@pytest.mark.parametrize("ignore, fails", [({}, True), ({"CVE-0000-1": "not reachable here: test"}, False)])
def test_a_vulnerability_fails_the_audit_unless_listed_with_its_reason(ignore, fails):
    service = RecordingPyPI()
    result = audit(service=service, ignore=ignore)
    assert "werkzeug" in service.asked and "flask" in service.asked
    assert bool(result.findings) is fails and bool(result.accepted) is not fails
    assert "PYSEC-0000-1" in (result.findings + result.accepted)[0]


def test_the_ignore_file_gives_a_reason_for_each_entry(tmp_path):
    assert all(ignored(IGNORED).values())
    bad = tmp_path / "ignore.txt"
    bad.write_text("# a comment\nGHSA-xxxx-yyyy-zzzz\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a reason"):
        ignored(bad)
