"""Classic AGI, one process per call: pyst2's asterisk.agi.AGI on stdin/stdout, the same flows.

    exten => s,n,AGI(/path/to/.venv/bin/helpline-agi-per-call)   ; or: python -m ivr.per_call_agi ivr

Kept as the benchmark's baseline (scripts/bench/agi_load.py) and for sites that cannot run
the FastAGI server. pyst2's own parser is used; its exceptions are mapped onto ours.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from ivr.agi.commands import AgiCommands
from ivr.agi.errors import (
    AgiAppError,
    AgiDeadChannel,
    AgiError,
    AgiHangup,
    AgiInvalidCommand,
    AgiUsageError,
)
from ivr.agi.reply import AgiResult
from models.core.settings import Settings, get_settings

log = logging.getLogger(__name__)


class Pyst2Channel(AgiCommands):
    """The AgiCommands of the call flows on top of pyst2's blocking AGI object."""

    def __init__(self, agi, script: str):
        self.agi = agi
        self.headers = {**agi.env, "agi_network_script": script}

    async def command(self, line: str) -> AgiResult:
        from asterisk import agi as pyst2

        try:
            reply = self.agi.execute(line)
        except pyst2.AGIHangup as exc:
            raise AgiHangup(str(exc)) from exc
        except pyst2.AGIAppError as exc:
            raise AgiAppError(str(exc)) from exc
        except pyst2.AGIInvalidCommand as exc:
            raise AgiInvalidCommand(str(exc)) from exc
        except pyst2.AGIUsageError as exc:
            raise AgiUsageError(str(exc)) from exc
        except pyst2.AGIError as exc:
            if "511" in str(exc):
                raise AgiDeadChannel(str(exc)) from exc
            raise AgiError(str(exc)) from exc
        except ValueError as exc:  # pyst2 cannot parse a bare "HANGUP" line
            raise AgiHangup(f"unparsed reply, taken as a hang-up: {exc}") from exc
        value, data = reply.get("result", ("", ""))
        endpos = reply.get("endpos", ("", ""))[0]
        return AgiResult(result=value, data=data or None,
                         endpos=int(endpos) if endpos.lstrip("-").isdigit() else None)


async def run_one_call(channel: Pyst2Channel, settings: Settings) -> None:
    from ivr.flows import build_routes, create_services

    services = create_services(settings, db_workers=1)
    try:
        route = build_routes(services).get(channel.script)
        if route is None:
            raise SystemExit(f"no call flow {channel.script!r}")
        try:
            await route(channel)
        except AgiHangup:
            log.info("call %s: hung up", channel.uniqueid)
    finally:
        await services.close()


def main(argv: list[str] | None = None) -> int:
    """Run the route named in argv[0] (default `ivr`) for the call on stdin/stdout."""
    from asterisk.agi import AGI

    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    agi = AGI()
    asyncio.run(run_one_call(Pyst2Channel(agi, argv[0] if argv else "ivr"), get_settings()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
