"""The carrier trunk: the helpline registers with digest authentication and its own calls leave
through the carrier with the helpline's number. SIPp plays the carrier (a public network is
outside this machine): it checks the credentials itself and traces what it was sent."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ivr.ami.client import run_action
from models.core.settings import Secret
from scripts.local_asterisk import cli as local_asterisk
from scripts.local_asterisk import process as proc
from scripts.local_asterisk.config import carrier_conf, install_config
from scripts.local_asterisk.log_check import log_file, read_since
from scripts.sip_citizen import place_sip_call

SCENARIO = Path(__file__).parent / "sipp" / "carrier.xml"
CARRIER = "127.0.0.1:5180"
USER, SECRET, HELPLINE_NUMBER = "cg-helpline", "carrier-test-secret", "07712200100"


def _rx(state, command: str) -> str:
    return proc.rx(state.install, state.conf, command)[1]


def _with_carrier(settings):
    return dataclasses.replace(settings, carrier_host=CARRIER, carrier_user=USER,
                               carrier_secret=Secret(SECRET), carrier_caller_id=HELPLINE_NUMBER)


def restart_with(state, settings) -> None:
    """Install the configuration for `settings` and restart Asterisk on it: a registration once
    given to a running Asterisk outlives the reload that drops it, so only a restart is clean."""
    install_config(state.install, settings)
    _rx(state, "core restart now")
    time.sleep(1)
    local_asterisk.wait_ami(settings)
    _rx(state, "core waitfullybooted")


@pytest.fixture
def asterisk_with_carrier(asterisk_settings):
    """The shared Asterisk, restarted without the carrier when the test is done."""
    state = local_asterisk.running(asterisk_settings)
    assert state, "the local Asterisk is not up"
    yield state
    restart_with(state, asterisk_settings)


def _invites(messages: str) -> list[str]:
    received = messages.split("UDP message received")
    return [m for m in received if re.match(r"\s*\[\d+\] bytes :\s*INVITE ", m)]


def test_registers_with_digest_and_calls_out_with_the_helplines_number(asterisk_with_carrier,
                                                                       asterisk_settings, tmp_path):
    assert shutil.which("sipp"), "SIPp is missing: apt-get install sip-tester"
    carrier = subprocess.Popen(
        ["sipp", "-sf", str(SCENARIO), "-i", "127.0.0.1", "-p", "5180", "-mp", "17000", "-m", "2",
         "-key", "user", USER, "-key", "secret", SECRET, "-timeout", "60s", "-timeout_error",
         "-nostdin", "-trace_msg", "-message_file", str(tmp_path / "messages.log")],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(0.3)  # SIPp listens before Asterisk learns of the carrier
        restart_with(asterisk_with_carrier, _with_carrier(asterisk_settings))
        deadline = time.monotonic() + 20
        registrations = ""
        while time.monotonic() < deadline and "Registered" not in registrations:
            time.sleep(0.3)
            registrations = _rx(asterisk_with_carrier, "pjsip show registrations")
        assert "carrier-registration" in registrations and "Registered" in registrations, registrations
        answer = run_action(asterisk_settings, {
            "Action": "Originate", "Channel": "PJSIP/9876543210@carrier", "Application": "Wait",
            "Data": "1", "Timeout": "15000", "Async": "true",
            "CallerID": f'"CM Helpline" <{HELPLINE_NUMBER}>'})  # as the helpline's own calls are placed
        assert answer.get("Response") == "Success", answer
        out, _ = carrier.communicate(timeout=40)
    finally:
        if carrier.poll() is None:
            carrier.kill()
    messages = (tmp_path / "messages.log").read_text()
    assert carrier.returncode == 0, out[-3000:]
    invites = _invites(messages)
    assert len(invites) == 2, messages[-3000:]  # challenged, then with the credentials
    assert "Authorization: Digest" not in invites[0] and f'username="{USER}"' in invites[1]
    assert "INVITE sip:9876543210@127.0.0.1:5180" in invites[1]
    assert re.search(rf"P-Asserted-Identity: .*<sip:{HELPLINE_NUMBER}@", invites[1]), invites[1]

    # The public's call from the carrier, to the helpline's number in the carrier's +91 form.
    log = log_file(asterisk_settings)
    offset = log.stat().st_size
    inbound = place_sip_call(caller="+919826000501", service="+917712200100", local_port=5181,
                             media_port=16100, steps=["w2", "h"], timeout=30)
    assert inbound.ok, inbound.output
    text = read_since(log, offset)
    assert re.search(r'NoOp\("PJSIP/carrier-[0-9a-f]+", "Helpline call from \+919826000501"\)', text), text[-3000:]


def test_carrier_settings_must_be_complete(asterisk_settings):
    assert carrier_conf(asterisk_settings).startswith("; No carrier")
    half = dataclasses.replace(asterisk_settings, carrier_host=CARRIER, carrier_user=USER)
    with pytest.raises(ValueError, match="HELPLINE_CARRIER_SECRET"):
        carrier_conf(half)
    text = carrier_conf(_with_carrier(asterisk_settings))
    assert f"password = {SECRET}" in text and "@" + "CARRIER" not in text
