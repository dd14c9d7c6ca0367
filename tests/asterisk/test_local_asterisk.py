"""`helpline asterisk`: status, rx, idempotent up, same-path var/, clear errors."""

from __future__ import annotations

import argparse

import pytest

from ivr.ami.client import AsteriskUnavailable
from scripts.local_asterisk import cli as local_asterisk
from scripts.local_asterisk import process as proc
from scripts.local_asterisk import root as local_asterisk_root
from scripts.local_asterisk.root import find_or_make


def test_status_and_rx(asterisk_settings, capsys):
    assert local_asterisk.cli(argparse.Namespace(action="status", cli_command=None)) == 0
    assert "Asterisk 2" in capsys.readouterr().out
    assert local_asterisk.cli(argparse.Namespace(action="rx", cli_command="queue show helpline")) == 0
    assert "helpline has" in capsys.readouterr().out


def test_up_while_up_keeps_the_same_process(asterisk_settings):
    before = local_asterisk.running(asterisk_settings)
    assert before is not None, "the running Asterisk was not started by `helpline asterisk up`"
    after = local_asterisk.up(asterisk_settings)
    assert (after.pid, after.start_ticks) == (before.pid, before.start_ticks)


def test_var_dir_has_the_same_path_inside_the_root(asterisk_settings):
    state = local_asterisk.running(asterisk_settings)
    probe = asterisk_settings.var_dir / "asterisk" / "same-path-probe"
    probe.write_text("ok")
    try:
        assert state.install.host_path(probe).read_text() == "ok"
    finally:
        probe.unlink()


def test_not_root_and_nothing_installed_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(local_asterisk_root.shutil, "which", lambda name: None)
    monkeypatch.setattr(local_asterisk_root, "_existing", lambda path: None)
    monkeypatch.setattr(local_asterisk_root.os, "geteuid", lambda: 1000)
    with pytest.raises(AsteriskUnavailable, match="sudo helpline asterisk up"):
        find_or_make(root=tmp_path / "no-root", build_log=tmp_path / "build.log")
    assert not (tmp_path / "no-root").exists()


def test_modules_conf_lines_are_read():
    text = "[modules]\nautoload = no\n\nload => pbx_config.so\n; load => app_nothing.so\nload=>res_agi.so\n"
    assert local_asterisk.modules_wanted(text) == ["pbx_config.so", "res_agi.so"]


def test_up_loads_a_module_added_since_the_start(asterisk_settings):
    state = local_asterisk.running(asterisk_settings)
    assert state, "the local Asterisk is not up"
    proc.rx(state.install, state.conf, "module unload app_mixmonitor.so")
    assert "app_mixmonitor.so" in local_asterisk.load_missing_modules(state)
    assert "1 modules loaded" in proc.rx(state.install, state.conf, "module show like app_mixmonitor.so")[1]
