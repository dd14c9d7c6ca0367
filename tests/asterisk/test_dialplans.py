"""The project's dialplans pass asterisklint and are the ones the local Asterisk runs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from models.core.settings import ROOT

DIALPLANS = ROOT / "dialplans"


def _asterisklint(*args: str) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("asterisklint")
    assert lint.exists(), "asterisklint is missing: pip install -e '.[test]'"
    return subprocess.run([str(lint), *args], capture_output=True, text=True, timeout=60)


def test_extensions_conf_passes_asterisklint():
    result = _asterisklint("dialplan-check", str(DIALPLANS / "extensions.conf"))
    findings = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and findings == "", findings


def test_asterisklint_sees_every_context():
    result = _asterisklint("dialplan-show", str(DIALPLANS / "extensions.conf"))
    for context in ("helpline-inbound", "helpline-feedback", "agents", "citizen-sim"):
        assert f"[ Context '{context}'" in result.stdout, result.stdout[-2000:]


def test_running_asterisk_loaded_our_dialplan(ami, run):
    out = run(ami.action({"Action": "Command", "Command": "dialplan show s@helpline-inbound"}))["Output"]
    assert "AGI(agi://${HELPLINE_AGI_HOST}:${HELPLINE_AGI_PORT}/ivr)" in out
    assert "Queue(helpline,,,,${HELPLINE_WAIT})" in out


def test_globals_come_from_the_settings(ami, run, asterisk_settings):
    def value(name: str) -> str:
        return run(ami.action({"Action": "Getvar", "Variable": f"GLOBAL({name})"})).get("Value")

    assert value("HELPLINE_NUMBER") == "1100"
    assert value("HELPLINE_AGI_PORT") == str(asterisk_settings.agi_port)
    assert value("HELPLINE_AGI_HOST") == asterisk_settings.agi_host


def test_helpline_queue_is_configured(ami, run):
    out = run(ami.action({"Action": "Command", "Command": "queue show helpline"}))["Output"]
    assert "'rrmemory' strategy" in out, out


def test_agent_phone_answers(ami, run):
    """Local/agentN@agents answers and stays up for HELPLINE_AGENT_TALK seconds."""

    async def scenario():
        with ami.events("Newexten", "Hangup", "OriginateResponse") as stream:
            await ami.action({"Action": "Originate", "Channel": "Local/agent7@agents",
                              "Application": "Wait", "Data": "5", "Async": "true",
                              "Variable": "HELPLINE_AGENT_TALK=1"})
            apps = []
            while True:
                event = await stream.get(timeout=15)
                if event.name == "Newexten" and event.get("Channel", "").endswith(";2"):
                    apps.append(event["Application"])
                if event.name == "Hangup" and event.get("Channel", "").startswith("Local/agent7@agents"):
                    return apps, time.monotonic() - started

    started = time.monotonic()
    apps, elapsed = run(scenario())
    assert apps == ["NoOp", "Answer", "Wait", "Hangup"], apps
    assert elapsed < 4, f"the agent phone should hang up after 1 s, not {elapsed:.1f} s"
