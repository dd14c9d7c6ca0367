"""A caller waiting in the queue hears the position in Hindi, from the project's own prompts.

Asterisk's say engine has no Hindi; dialplans/say.conf (mode=new) and the queue's sound options
in dialplans/queues.conf point it at config/prompts/hi.toml's queue_* and num_* prompts.
"""

from __future__ import annotations

import asyncio
import time

from scripts.local_asterisk.log_check import log_file, read_since
from tests.asterisk_fixtures import empty_queue

UNSUPPORTED = "not currently supported"


async def callers_waiting(ami) -> int:
    status = await ami.action({"Action": "QueueStatus", "Queue": "helpline"})
    return sum(1 for event in status.events if event.name == "QueueEntry")


def test_second_caller_hears_position_two_in_hindi(ami, run, asterisk_settings):
    log = log_file(asterisk_settings)
    assert (asterisk_settings.prompts_dir / "hi" / "queue_thereare.wav").exists(), \
        "prompts not built: helpline prompts build"
    run(empty_queue(ami))
    deadline = time.monotonic() + 30
    while run(callers_waiting(ami)) and time.monotonic() < deadline:  # callers another test left
        run(asyncio.sleep(0.5))
    assert run(callers_waiting(ami)) == 0, "the queue did not empty"
    offset = log.stat().st_size
    for caller in ("9876511111", "9876522222"):  # both wait in the empty queue for 8 s
        run(ami.action({"Action": "Originate", "Channel": "Local/s@citizen-sim", "Application": "Queue",
                        "Data": "helpline,,,,8", "CallerID": caller, "Async": "true"}))
        run(asyncio.sleep(0.5))
    wanted = ["hi/queue_youarenext", "hi/queue_thereare", "hi/num_2", "hi/queue_callswaiting"]
    deadline = time.monotonic() + 20
    text = ""
    while time.monotonic() < deadline and not all(w in text for w in wanted):
        run(asyncio.sleep(0.3))
        text = read_since(log, offset)
    missing = [w for w in wanted if w not in text]
    assert not missing, f"queue announcements not heard: {missing}\n{text[-3000:]}"
    assert UNSUPPORTED not in text, [line for line in text.splitlines() if UNSUPPORTED in line]
