"""The FastAGI server: headers, routing, typed commands, failures and concurrency."""

from __future__ import annotations

import asyncio
import logging

import pytest
from agi_exchanges import HERE, load
from agi_support import run, running_server

from ivr.agi import AgiChannel, AgiHangup, AgiInvalidCommand, AgiUsageError, quote
from ivr.agi.simulator import SimulatedCall, agi_headers

RECORDED_IN = "/work/main/var"  # the folder the asterisk22_recorded exchange's paths are under


async def replay(host: str, port: int, name: str, turns: int | None = None, *,
                 moved: dict[str, str] | None = None) -> list[str]:
    """Play Asterisk's side of a recorded exchange; assert each command; return them.

    moved: {folder in the recording: folder here}, for paths in the recorded commands."""
    ex = load(HERE / f"{name}.txt")
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(("".join(f"{k}: {v}\n" for k, v in ex.headers.items()) + "\n").encode())
    sent = []
    for turn in ex.turns[:turns]:
        line = (await reader.readline()).decode().rstrip("\n")
        sent.append(line)
        expected = turn.command
        for recorded, here in (moved or {}).items():
            expected = expected.replace(recorded, here)
        assert line == expected
        writer.write(("\n".join(turn.reply) + "\n").encode())
        await writer.drain()
    assert await reader.readline() == b""  # the server closed the call
    writer.close()
    return sent


def test_typed_commands_match_recorded_exchange():
    seen = {}

    async def flow(ch: AgiChannel) -> None:
        seen["caller"], seen["uid"] = ch.caller, ch.uniqueid
        await ch.answer()
        seen["welcome"] = await ch.stream_file("/var/prompts/hi/welcome")
        seen["language"] = await ch.stream_file("/var/prompts/hi/language", "12")
        seen["menu"] = await ch.get_data("/var/prompts/hi/main_menu", 5000, 1)
        seen["district"] = await ch.get_data("/var/prompts/hi/district", 6000, 2)
        seen["none"] = await ch.get_data("/var/prompts/hi/district", 6000, 2)
        seen["wait"] = await ch.wait_for_digit(5000)
        seen["unset"] = await ch.get_variable("HELPLINE_DRAFT")
        await ch.set_variable("__HELPLINE_DRAFT", 42)
        seen["set"] = await ch.get_variable("HELPLINE_DRAFT")
        seen["name"] = await ch.get_variable("CALLERID(name)")
        await ch.exec("Playback", "beep")
        await ch.verbose("helpline: menu")

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            await replay(host, port, "answer_and_menu")

    run(scenario())
    assert seen == {
        "caller": "9876543210", "uid": "1764363000.11", "welcome": None, "language": "2",
        "menu": "1", "district": "2", "none": "", "wait": "#", "unset": None, "set": "42",
        "name": "Ram (Raipur)",
    }


def test_real_asterisk22_exchange_with_typed_commands(tmp_path):
    seen = {}
    p = f"{tmp_path}/prompts/hi"

    async def flow(ch: AgiChannel) -> None:
        await ch.answer()
        seen["welcome"] = await ch.stream_file(f"{p}/welcome", "12")
        seen["district"] = await ch.get_data(f"{p}/district_prompt", 3000, 2)
        with pytest.raises(AgiUsageError):
            await ch.command("GET DATA")
        with pytest.raises(AgiInvalidCommand):
            await ch.command('PLAY FILE "welcome"')
        seen["missing"] = await ch.stream_file(f"{p}/no_such_prompt")
        await ch.set_variable("__HELPLINE_DRAFT", "2600000018")
        seen["draft"] = await ch.get_variable("HELPLINE_DRAFT")
        seen["unset"] = await ch.get_variable("HELPLINE_NOT_SET")
        await ch.exec("Playback", "beep")
        await ch.verbose("helpline: recording exchange")
        rec = await ch.record_file(f"{tmp_path}/recordings/exchange-recording", max_ms=3000,
                                   silence_s=2)
        seen["recording"] = (rec.reason, rec.endpos)
        try:
            await ch.wait_for_digit(15000)
        except AgiHangup:
            seen["hangup"] = ch.hung_up
            raise

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            await replay(host, port, "asterisk22_recorded", turns=13,  # no command after hang-up
                         moved={RECORDED_IN: str(tmp_path)})

    run(scenario())
    assert seen == {"welcome": "2", "district": "7", "missing": None, "draft": "2600000018",
                    "unset": None, "recording": ("timeout", 0), "hangup": True}


def test_record_file_reasons_and_hangup():
    seen = []

    async def flow(ch: AgiChannel) -> None:
        path = "/var/spool/asterisk/recording/1764363000.11"
        seen.append(await ch.record_file(path, max_ms=120000, silence_s=4))
        seen.append(await ch.record_file(path, max_ms=120000, silence_s=4))
        try:
            await ch.record_file(path, max_ms=120000, silence_s=4)
        except AgiHangup:
            seen.append("hangup")
            raise

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            await replay(host, port, "record_file")

    run(scenario())
    assert [(r.digit, r.reason, r.endpos) for r in seen[:2]] == [("#", "dtmf", 88000), (None, "timeout", 40000)]
    assert seen[2] == "hangup"


def test_usage_error_is_named_and_call_goes_on():
    seen = []

    async def flow(ch: AgiChannel) -> None:
        try:
            await ch.command("GET DATA")
        except AgiUsageError as exc:
            seen.append(exc.usage.splitlines()[0])
        await ch.answer()
        seen.append("answered")

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            await replay(host, port, "usage_520")

    run(scenario())
    assert seen == ["Stream the given <replaceable>file</replaceable>, and receive DTMF data.", "answered"]


@pytest.mark.parametrize("name", ["hangup_line", "dead_channel_511"])
def test_hangup_ends_the_call_and_closes_socket(name, caplog):
    after = []

    async def flow(ch: AgiChannel) -> None:
        try:
            await ch.command(load(HERE / f"{name}.txt").turns[0].command)
        finally:
            after.append(ch.hung_up)

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            await replay(host, port, name)

    caplog.set_level(logging.INFO, "ivr.agi.server")
    run(scenario())
    assert after == [True]
    assert "hung up" in caplog.text


def test_invalid_command_named_and_missing_prompt_not_fatal(caplog):
    seen = []

    async def flow(ch: AgiChannel) -> None:
        try:
            await ch.command('PLAY FILE "welcome"')
        except AgiInvalidCommand:
            seen.append("invalid")
        seen.append(await ch.stream_file("/var/prompts/hi/no_such_prompt"))

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            await replay(host, port, "invalid_510")

    caplog.set_level(logging.WARNING)
    run(scenario())
    assert seen == ["invalid", None]
    assert "could not play /var/prompts/hi/no_such_prompt" in caplog.text


def test_unknown_route_is_closed(caplog):
    async def scenario():
        async with running_server({"ivr": lambda ch: asyncio.sleep(0)}) as (host, port):
            return await SimulatedCall(uniqueid="1.1", script="nosuch").run(host, port)

    caplog.set_level(logging.WARNING)
    call = run(scenario())
    assert call.closed_by_server
    assert call.commands == ['VERBOSE "helpline: no FastAGI route \'nosuch\'" 1']
    assert "no route for script 'nosuch'" in caplog.text


def test_failing_flow_is_logged_and_socket_closed(caplog):
    async def flow(ch: AgiChannel) -> None:
        await ch.answer()
        raise RuntimeError("boom")

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            return await SimulatedCall(uniqueid="1.2").run(host, port)

    caplog.set_level(logging.ERROR)
    call = run(scenario())
    assert call.commands == ["ANSWER"] and call.closed_by_server
    assert "RuntimeError: boom" in caplog.text


def test_headers_cut_short_are_handled(caplog):
    async def scenario():
        async with running_server({"ivr": lambda ch: asyncio.sleep(0)}) as (host, port):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"agi_network: yes\n")
            writer.close()
            await asyncio.sleep(0.1)

    caplog.set_level(logging.INFO)
    run(scenario())
    assert "connection closed during the headers" in caplog.text


def test_route_key_ignores_query_and_slashes():
    from ivr.agi.channel import AgiChannel as Ch
    headers = agi_headers(script="queue-timeout?x=1", uniqueid="1.3", caller="1")
    assert Ch(None, None, headers).script == "queue-timeout"  # type: ignore[arg-type]


def test_quote_escapes():
    assert quote('say "hi"\\') == '"say \\"hi\\"\\\\"'


def test_hundreds_of_concurrent_calls_in_one_process():
    active, peak = 0, 0

    async def flow(ch: AgiChannel) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        try:
            await ch.answer()
            digits = await ch.get_data("menu", 3000, 2)
            await ch.set_variable("CHOICE", digits)
        finally:
            active -= 1

    async def scenario():
        async with running_server({"ivr": flow}) as (host, port):
            calls = [SimulatedCall(uniqueid=f"9.{i}", inputs=["4", "2"], think_s=0.2) for i in range(300)]
            return await asyncio.gather(*(c.run(host, port) for c in calls))

    calls = run(scenario())
    assert all(c.variables["CHOICE"] == "42" for c in calls)
    assert peak >= 250
