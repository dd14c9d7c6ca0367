"""Start and stop exactly one Asterisk process; its mounts and its state file under var/."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scripts.local_asterisk.root import AsteriskInstall, mounted_under

log = logging.getLogger(__name__)


@dataclass
class RunState:
    """What `up` started, so `down` undoes exactly that."""

    pid: int
    start_ticks: int
    binary: str
    root: str | None
    conf: str
    mounts: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)

    @property
    def install(self) -> AsteriskInstall:
        return AsteriskInstall(binary=self.binary, root=Path(self.root) if self.root else None)

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1))
        tmp.rename(path)

    @classmethod
    def load(cls, path: Path) -> "RunState | None":
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def alive(self) -> bool:
        return start_ticks(self.pid) == self.start_ticks


def start_ticks(pid: int) -> int | None:
    """The process's start time (clock ticks since boot), None when gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] in ("Z", "X") else int(fields[19])


def mount_shared(install: AsteriskInstall, folders: list[Path]) -> list[str]:
    """Mount /proc and bind-mount each folder at the same path inside the root."""
    if not install.root:
        return []
    done = []
    wanted = [("proc", install.root / "proc", ["-t", "proc", "proc"])]
    wanted += [(str(f), install.host_path(f), ["--bind", str(f)]) for f in folders]
    for _name, point, args in wanted:
        point.mkdir(parents=True, exist_ok=True)
        if point.resolve() not in mounted_under(point):
            subprocess.run(["mount", *args, str(point)], check=True)
        done.append(str(point))
    return done


def unmount(points: list[str]) -> None:
    for point in reversed(points):
        if Path(point).resolve() in mounted_under(Path(point)):
            result = subprocess.run(["umount", point], capture_output=True, text=True)
            if result.returncode != 0:
                subprocess.run(["umount", "-l", point], check=False)


def start(install: AsteriskInstall, *, conf: str, console_log: Path) -> subprocess.Popen:
    """Asterisk in the foreground (-f) of its own session: its pid is the one we record."""
    console_log.parent.mkdir(parents=True, exist_ok=True)
    with console_log.open("ab") as out:
        return subprocess.Popen(
            install.command("-f", "-n", "-C", conf),
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )


def rx(install: AsteriskInstall, conf: str, command: str, *, timeout: float = 30) -> tuple[int, str]:
    """`asterisk -rx COMMAND` against the running instance."""
    result = subprocess.run(
        install.command("-C", conf, "-rx", command), capture_output=True, text=True, timeout=timeout
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def wait_booted(install: AsteriskInstall, conf: str, pid: int, *, timeout: float = 90) -> None:
    """Until `core waitfullybooted` says so; fails early when the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if start_ticks(pid) is None:
            raise RuntimeError("Asterisk exited while starting")
        try:
            code, out = rx(install, conf, "core waitfullybooted", timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            break
        if code == 0 and "fully booted" in out.lower():
            return
        time.sleep(0.2)
    raise RuntimeError(f"Asterisk did not finish booting in {timeout:.0f} s")


def stop(state: RunState, *, timeout: float = 15) -> None:
    """Ask Asterisk to stop; TERM then KILL only the pid we started."""
    if not state.alive():
        return
    try:
        rx(state.install, state.conf, "core stop now", timeout=timeout)
    except subprocess.TimeoutExpired:
        log.warning("core stop now timed out")
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None and state.alive():
            os.kill(state.pid, sig)
        deadline = time.monotonic() + timeout / 3
        while state.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not state.alive():
            return
    raise RuntimeError(f"Asterisk pid {state.pid} would not stop")
