"""Simulated citizens dial the real Asterisk; a FastAGI server on a free port answers as the IVR."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
import wave

from ivr.agi import AgiChannel, start_server
from scripts.demo_call import place_citizen_call, sim_steps, speech_file


def test_sim_steps_from_keys_and_speech(tmp_path):
    assert sim_steps(keys="1w1w5#") == "w2^d1^w1^d1^w1^d5#"
    assert sim_steps(keys="12*", speech=tmp_path / "say.wav", lead_wait=0) == f"d12*^p{tmp_path / 'say'}"


def test_speech_file_is_8khz_mono(asterisk_settings, tmp_path):
    path = speech_file("मेरी सड़क टूटी है", voice="hi", folder=tmp_path)
    with wave.open(str(path)) as audio:
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (8000, 1, 2)
        assert audio.getnframes() > 8000 * 0.5
    assert speech_file("मेरी सड़क टूटी है", voice="hi", folder=tmp_path) == path  # cached


@contextlib.asynccontextmanager
async def ivr_server(route):
    """Our FastAGI server on a free loopback port; yields the port for HELPLINE_AGI_PORT."""
    server = await start_server("127.0.0.1", 0, {"ivr": route})
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


def test_keys_and_speech_reach_the_ivr(ami, run, test_audio, asterisk_settings):
    """The IVR sees the caller's number, its uniqueid, the keys (GET DATA) and the speech (RECORD FILE)."""
    seen: dict[str, object] = {}
    recordings = asterisk_settings.var_dir / "test-recordings"
    recordings.mkdir(parents=True, exist_ok=True)
    speech = speech_file("मेरे गाँव में पानी नहीं आ रहा है", voice="hi",
                         folder=asterisk_settings.var_dir / "demo-audio")

    async def route(channel: AgiChannel) -> None:
        seen.update(channel.headers)
        seen["digits"] = await channel.get_data(str(test_audio / "tone"), 4000, 4)
        target = recordings / channel.uniqueid
        seen["recording"] = await channel.record_file(str(target), max_ms=15000, silence_s=2, beep=False)
        seen["path"] = target.with_suffix(".wav")
        await channel.set_variable("HELPLINE_NEXT", "hangup")

    async def scenario():
        async with ivr_server(route) as port:
            return await place_citizen_call(
                ami, caller="9826012345", steps=sim_steps(keys="42#", speech=speech, lead_wait=1.5),
                timeout=40, variables={"HELPLINE_AGI_PORT": str(port)})

    started = time.monotonic()
    call = run(scenario())
    elapsed = time.monotonic() - started
    assert call.answered and not call.timed_out
    assert elapsed < 12, f"silence after the speech should end the recording, not the 15 s limit ({elapsed:.1f} s)"
    assert seen["agi_callerid"] == "9826012345"
    assert seen["agi_uniqueid"] == call.ivr_uniqueid
    assert seen["agi_network_script"] == "ivr"
    assert seen["agi_language"] == "hi"
    assert seen["digits"] == "42"
    assert call.dtmf_received == "42#"
    assert seen["path"].stat().st_size > 8000 * 2 * 1.0, "at least a second of the caller's speech"
    played = _duration(speech)
    assert _duration(seen["path"]) > played * 0.8
    assert call.hangup_cause == "Normal Clearing"


def test_twelve_calls_at_once(ami, run, asterisk_settings):
    """Concurrent citizens on one AMI connection each reach the IVR with their own number."""
    callers: dict[str, str] = {}

    async def route(channel: AgiChannel) -> None:
        callers[channel.uniqueid] = channel.headers["agi_callerid"]
        await channel.get_data("helpline-no-such-prompt", 3000, 2)

    async def scenario():
        async with ivr_server(route) as port:
            return await asyncio.gather(*(
                place_citizen_call(ami, caller=f"70000000{n:02d}", steps=f"w1^d{n % 10}#", timeout=30,
                                   variables={"HELPLINE_AGI_PORT": str(port)})
                for n in range(12)))

    calls = run(scenario())
    assert all(c.answered and not c.timed_out for c in calls)
    assert {c.ivr_uniqueid: c.caller for c in calls} == callers


def _duration(path) -> float:
    out = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
    return float(out)
