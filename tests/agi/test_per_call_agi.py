"""The process-per-call entry (pyst2 over stdin/stdout) runs the same flow to the same result."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from agi_support import journey_of, run

from ivr.agi.simulator import SimulatedCall
from models.complaints import complaint_id
from models.core.settings import ROOT


def test_per_call_script_registers_draft(ivr_settings):
    call = SimulatedCall(uniqueid="1764369999.7", caller="9811122233", inputs=["1", "1", "2", "7", "#"])
    env = {**os.environ, "HELPLINE_DATABASE_URL": ivr_settings.database_url, "HELPLINE_SECRET_KEY": "t",
           "HELPLINE_RECORDINGS_DIR": str(ivr_settings.recordings_dir),
           "HELPLINE_PROMPTS_DIR": str(ivr_settings.prompts_dir)}

    async def scenario():
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ivr.per_call_agi", "ivr", cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        await call.converse(proc.stdout, proc.stdin)
        return await proc.wait(), (await proc.stderr.read()).decode()

    code, stderr = run(scenario())
    assert code == 0, stderr[-2000:]
    assert "ENV LINE" in stderr  # pyst2 really parsed the headers
    assert call.variables["HELPLINE_NEXT"] == "queue"
    assert complaint_id.is_valid(call.variables["__HELPLINE_DRAFT"])
    assert journey_of("1764369999.7")["complaint_id"] == call.variables["__HELPLINE_DRAFT"]
