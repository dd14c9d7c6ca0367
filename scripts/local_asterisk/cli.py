"""`helpline asterisk up|down|status|rx`: a real local Asterisk for development and CI."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from models.core.settings import Settings, get_settings
from scripts.local_asterisk import process as proc
from scripts.local_asterisk.config import DIALPLANS, asterisk_conf, install_config, state_dir
from scripts.local_asterisk.root import find_or_make

log = logging.getLogger(__name__)

AMI_WAIT_S = 30.0


def state_file(settings: Settings) -> Path:
    return state_dir(settings) / "state.json"


def running(settings: Settings) -> proc.RunState | None:
    """The state of the Asterisk `up` started, when it is still running."""
    state = proc.RunState.load(state_file(settings))
    return state if state and state.alive() else None


def modules_wanted(text: str) -> list[str]:
    """The `load => X.so` lines of a modules.conf."""
    return [line.split("=>", 1)[1].strip() for line in text.splitlines()
            if line.strip().startswith("load") and "=>" in line]


def load_missing_modules(state: proc.RunState) -> list[str]:
    """`core reload` loads no module added to modules.conf since the start: load those now."""
    loaded = proc.rx(state.install, state.conf, "module show")[1]
    missing = [m for m in modules_wanted((DIALPLANS / "modules.conf").read_text()) if m not in loaded]
    for module in missing:
        proc.rx(state.install, state.conf, f"module load {module}")
    return missing


def up(settings: Settings) -> proc.RunState:
    """Find or make Asterisk, install the configuration, start it and wait for AMI."""
    with _locked(settings):
        state = running(settings)
        if state:
            install_config(state.install, settings)
            proc.rx(state.install, state.conf, "core reload")
            for module in load_missing_modules(state):
                _say(f"loaded {module} (new in dialplans/modules.conf)")
            try:
                wait_ami(settings, timeout=10)
            except RuntimeError as exc:
                _say(f"pid {state.pid} does not answer ({exc}); starting it again")
                _teardown(settings, state, state.mounts)
            else:
                _say(f"already up (pid {state.pid}); configuration reloaded")
                return state
        _cleanup_stale(settings)
        install = find_or_make(root=settings.asterisk_root, build_log=state_dir(settings) / "build.log")
        install_config(install, settings)
        conf = asterisk_conf(install, settings)
        mounts = proc.mount_shared(install, _shared_folders(settings))
        try:
            child = proc.start(install, conf=conf, console_log=state_dir(settings) / "log" / "console.log")
            ticks = proc.start_ticks(child.pid) or 0
            state = proc.RunState(pid=child.pid, start_ticks=ticks, binary=install.binary,
                                  root=str(install.root) if install.root else None, conf=conf,
                                  mounts=mounts)
            state.save(state_file(settings))
            proc.wait_booted(install, conf, child.pid)
            wait_ami(settings)
        except BaseException:
            _teardown(settings, proc.RunState.load(state_file(settings)), mounts)
            raise
        where = f"chroot {install.root}" if install.root else install.binary
        _say(f"up (pid {state.pid}, {where}); AMI on {settings.ami_host}:{settings.ami_port}")
        return state


def down(settings: Settings) -> bool:
    """Stop what `up` started and unmount; False when nothing was running."""
    with _locked(settings):
        state = proc.RunState.load(state_file(settings))
        if state is None:
            return False
        was_up = state.alive()
        _teardown(settings, state, state.mounts)
        return was_up


def wait_ami(settings: Settings, *, timeout: float = AMI_WAIT_S) -> None:
    """Until the AMI user can log in and Ping."""
    from ivr.ami.client import AmiError, run_action

    deadline = time.monotonic() + timeout
    while True:
        try:
            run_action(settings, {"Action": "Ping"}, timeout=5)
            return
        except (OSError, AmiError, TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"AMI on {settings.ami_host}:{settings.ami_port} did not answer: {exc}")
            time.sleep(0.3)


NOT_UP = (
    "The local Asterisk is not up on AMI {host}:{port} ({error}). Run `helpline asterisk up` "
    "(as root it builds a Debian sid root with debootstrap when no asterisk is installed); "
    "`make test` does this for you."
)


def not_up_reason(settings: Settings) -> str | None:
    """None when AMI answers a Ping; else what to tell the developer (tests fail with it)."""
    from ivr.ami.client import AmiError, run_action

    try:
        run_action(settings, {"Action": "Ping"}, timeout=5)
    except (OSError, AmiError, TimeoutError) as exc:
        return NOT_UP.format(host=settings.ami_host, port=settings.ami_port, error=exc)
    return None


def _teardown(settings: Settings, state: proc.RunState | None, mounts: list[str]) -> None:
    if state:
        proc.stop(state)
    proc.unmount(mounts)
    state_file(settings).unlink(missing_ok=True)


def _cleanup_stale(settings: Settings) -> None:
    """A state file whose process is gone: undo its mounts."""
    state = proc.RunState.load(state_file(settings))
    if state:
        proc.unmount(state.mounts)
        state_file(settings).unlink(missing_ok=True)


def _shared_folders(settings: Settings) -> list[Path]:
    """var/ and any configured folder outside it, mounted at the same path inside a chroot."""
    folders = [settings.var_dir.resolve()]
    for extra in (settings.recordings_dir, settings.prompts_dir):
        extra = extra.resolve()
        if not extra.is_relative_to(folders[0]):
            extra.mkdir(parents=True, exist_ok=True)
            folders.append(extra)
    return folders


@contextlib.contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    folder = state_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _say(message: str) -> None:
    print(f"helpline asterisk: {message}", file=sys.stderr, flush=True)


def cli(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.action == "up":
        up(settings)
        return 0
    if args.action == "down":
        _say("stopped" if down(settings) else "was not running")
        return 0
    state = running(settings)
    if args.action == "status":
        if not state:
            print("asterisk: down")
            return 1
        for command in ("core show version", "core show uptime"):
            print(proc.rx(state.install, state.conf, command)[1])
        print(f"pid {state.pid}; root {state.root or '-'}; AMI {settings.ami_host}:{settings.ami_port}")
        return 0
    if not state:
        raise RuntimeError("Asterisk is not running: run `helpline asterisk up` first")
    if not args.cli_command:
        raise RuntimeError('rx needs a CLI command, e.g. helpline asterisk rx "core show channels"')
    code, out = proc.rx(state.install, state.conf, args.cli_command)
    print(out)
    return code
