"""Find or make an Asterisk: installed, the distribution's package, or a cached Debian sid root."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ivr.ami.client import AsteriskUnavailable

log = logging.getLogger(__name__)

READY_MARKER = ".helpline-asterisk-ready"
MIRROR = "http://deb.debian.org/debian"
CHROOT_BINARY = "/usr/sbin/asterisk"


@dataclass(frozen=True)
class AsteriskInstall:
    """Where the Asterisk binary is and how to run it: directly or inside a chroot."""

    binary: str
    root: Path | None = None

    @property
    def kind(self) -> str:
        return "chroot" if self.root else "installed"

    def host_path(self, path: str | Path) -> Path:
        """The host's path for a path as Asterisk sees it."""
        return self.root / str(path).lstrip("/") if self.root else Path(path)

    def command(self, *args: str) -> list[str]:
        prefix = ["chroot", str(self.root)] if self.root else []
        return [*prefix, self.binary, *args]


def find_or_make(*, root: Path, build_log: Path) -> AsteriskInstall:
    """An installed Asterisk, else the distribution's package, else the cached sid root."""
    binary = shutil.which("asterisk") or _existing("/usr/sbin/asterisk")
    if binary:
        return AsteriskInstall(binary=binary)
    if (root / READY_MARKER).exists():
        _require_root(f"running the cached Asterisk root {root} needs chroot")
        return AsteriskInstall(binary=CHROOT_BINARY, root=root)
    _require_root(
        "no Asterisk is installed; install one (e.g. `apt-get install asterisk` where the "
        f"distribution has it) or run `sudo helpline asterisk up` to build a Debian sid root in {root}"
    )
    build_log.parent.mkdir(parents=True, exist_ok=True)
    if _apt_has_candidate("asterisk"):
        _progress(f"installing the distribution's asterisk package (log: {build_log})")
        _run(["apt-get", "install", "-y", "--no-install-recommends", "asterisk"], build_log)
        return AsteriskInstall(binary=shutil.which("asterisk") or "/usr/sbin/asterisk")
    root.parent.mkdir(parents=True, exist_ok=True)
    with root.with_name(root.name + ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another checkout may be building the same root
        if not (root / READY_MARKER).exists():
            build_sid_root(root, build_log=build_log)
    return AsteriskInstall(binary=CHROOT_BINARY, root=root)


def build_sid_root(root: Path, *, build_log: Path) -> None:
    """debootstrap sid into ROOT.tmp, install asterisk by apt, then rename: all or nothing."""
    if not shutil.which("debootstrap"):
        raise AsteriskUnavailable("debootstrap is missing: apt-get install debootstrap")
    tmp = root.with_name(root.name + ".tmp")
    if tmp.exists():
        _progress(f"removing an unfinished build in {tmp}")
        unmount_under(tmp)
        shutil.rmtree(tmp)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    _progress(f"building a Debian sid root with Asterisk in {root} (about a minute; log: {build_log})")
    _run(["debootstrap", "--variant=minbase", "sid", str(tmp), MIRROR], build_log)
    policy = tmp / "usr/sbin/policy-rc.d"  # never start services inside the root
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    proc = tmp / "proc"
    subprocess.run(["mount", "-t", "proc", "proc", str(proc)], check=True)
    try:
        _progress("apt-get install asterisk in the root")
        apt = ["chroot", str(tmp), "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
        _run([*apt, "-o", "Acquire::Check-Valid-Until=false", "update"], build_log)
        _run([*apt, "install", "-y", "--no-install-recommends", "asterisk"], build_log)
        _run([*apt, "clean"], build_log)
    finally:
        subprocess.run(["umount", "-l", str(proc)], check=False)
    (tmp / READY_MARKER).write_text("debootstrap sid + asterisk\n")
    if root.exists():
        shutil.rmtree(root)
    tmp.rename(root)
    _progress(f"Asterisk root ready: {root}")


def mounted_under(path: Path) -> list[Path]:
    """Mount points at or below path, deepest first."""
    prefix = str(path.resolve())
    points = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        point = line.split()[1].replace("\\040", " ")
        if point == prefix or point.startswith(prefix + "/"):
            points.append(Path(point))
    return sorted(points, key=lambda p: len(p.parts), reverse=True)


def unmount_under(path: Path) -> None:
    for point in mounted_under(path):
        subprocess.run(["umount", "-l", str(point)], check=False)


def _apt_has_candidate(package: str) -> bool:
    if not shutil.which("apt-cache"):
        return False
    out = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("Candidate:"):
            return line.split(":", 1)[1].strip() not in ("", "(none)")
    return False


def _run(cmd: list[str], build_log: Path) -> None:
    with build_log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise AsteriskUnavailable(f"`{' '.join(cmd[:4])} …` failed ({result.returncode}); see {build_log}")


def _require_root(why: str) -> None:
    if os.geteuid() != 0:
        raise AsteriskUnavailable(why)


def _existing(path: str) -> str | None:
    return path if os.access(path, os.X_OK) else None


def _progress(message: str) -> None:
    print(f"helpline asterisk: {message}", file=sys.stderr, flush=True)
