"""Every application and function the dialplans, the queue and the IVR use is loaded in the running Asterisk.

A module missing from dialplans/modules.conf fails at the first call that needs it, with a line
in the log the caller never sees; this asks the running Asterisk instead.
"""

from __future__ import annotations

import re

from models.core.settings import ROOT

DIALPLANS = ROOT / "dialplans"
APP_CALL = re.compile(r"(?:^\s*exten\s*=>\s*[^,]+,[^,]+,|^\s*same\s*=>\s*[^,]+,|\?)([A-Z][A-Za-z]+)\(", re.M)
FUNCTION = re.compile(r"(?:\$\{|Set\(|,|\$\[\")([A-Z][A-Z_]+)\(")
# Applications named outside the dialplan: the queue records with MixMonitor; supervisors
# listen, whisper and barge with ChanSpy (ivr/ami/queue.py).
CONFIGURED = {"MixMonitor", "ChanSpy"}
# What the PJSIP side must have loaded: the caller's number from a trunk (From, PAI, RPID), and
# registration with digest authentication to a carrier; the agents' phones made through ARI and
# kept in astdb, and the desk's browser phone (SIP over WebSocket, DTLS-SRTP).
MODULES = ["res_pjsip_caller_id.so", "app_mixmonitor.so", "res_pjsip_header_funcs.so",
           "res_pjsip_outbound_registration.so", "res_pjsip_outbound_authenticator_digest.so",
           "res_ari.so", "res_ari_asterisk.so", "res_sorcery_astdb.so", "res_http_websocket.so",
           "res_pjsip_transport_websocket.so", "res_srtp.so"]


def dialplan_applications(text: str) -> set[str]:
    return set(APP_CALL.findall(text))


def dialplan_functions(text: str) -> set[str]:
    return set(FUNCTION.findall(text)) - dialplan_applications(text)


def test_the_parsers_find_apps_and_functions():
    sample = ("exten => s,1,NoOp(x)\n same => n(idle),Answer()\n same => n,Set(CHANNEL(language)=hi)\n"
              " same => n,ExecIf($[\"${AGISTATUS}\" = \"FAILURE\"]?Set(A=${IF($[1]?a:b)}))\n")
    assert dialplan_applications(sample) == {"NoOp", "Answer", "Set", "ExecIf"}
    assert dialplan_functions(sample) == {"CHANNEL", "IF"}


def _command(ami, run, command: str) -> str:
    return run(ami.action({"Action": "Command", "Command": command})).get("Output", "")


def test_every_application_the_helpline_uses_is_registered(ami, run):
    text = (DIALPLANS / "extensions.conf").read_text()
    applications = dialplan_applications(text) | CONFIGURED
    assert {"Answer", "AGI", "Queue", "SendDTMF", "Playback"} <= applications
    missing = [app for app in sorted(applications)
               if f"Info about application '{app}'".lower() not in _command(ami, run, f"core show application {app}").lower()]
    assert not missing, f"applications not loaded (add their module to dialplans/modules.conf): {missing}"


def test_every_function_the_dialplan_uses_is_registered(ami, run):
    functions = dialplan_functions((DIALPLANS / "extensions.conf").read_text())
    assert {"CHANNEL", "CALLERID", "CUT", "FIELDQTY", "IF"} <= functions
    missing = [fn for fn in sorted(functions)
               if f"Info about function '{fn}'".lower() not in _command(ami, run, f"core show function {fn}").lower()]
    assert not missing, f"functions not loaded (add their module to dialplans/modules.conf): {missing}"


def test_modules_for_real_lines_are_loaded(ami, run):
    for module in MODULES:
        out = _command(ami, run, f"module show like {module}")
        assert "1 modules loaded" in out, f"{module} is not loaded: {out}"


def test_log_check_finds_the_lines_that_mean_a_missing_part():
    from scripts.local_asterisk.log_check import offending_lines

    text = ("[x] WARNING[1] say.c: Language hi not currently supported, defaulting to English\n"
            "[x] VERBOSE[2] pbx.c: Executing [s@helpline-inbound:1] NoOp(\"PJSIP/trunk\", \"x\")\n"
            "[x] WARNING[3] pbx.c: No application 'MixMonitor' for extension (helpline, s, 2)\n")
    assert len(offending_lines(text)) == 2
