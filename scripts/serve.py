"""`helpline serve|desk|ivr|worker`: the long-running processes."""

from __future__ import annotations

import asyncio
import logging
import threading

from models.settings import get_settings

log = logging.getLogger(__name__)


def _run_desk(settings) -> None:
    from waitress import serve as waitress_serve

    from agent_desk import create_app

    log.info("desk on http://%s:%d", settings.http_host, settings.http_port)
    # threads: the desk's event streams (screen pops) hold a thread each while open.
    waitress_serve(create_app(), host=settings.http_host, port=settings.http_port,
                   threads=32, channel_timeout=120, ident="helpline")


def desk(args) -> int:
    _run_desk(get_settings())
    return 0


def ivr(args) -> int:
    from ivr.agi.server import run_ivr

    run_ivr(get_settings())
    return 0


def worker(args) -> int:
    from models.worker import run_worker

    run_worker(get_settings())
    return 0


def serve(args) -> int:
    """Desk, FastAGI server and worker in one process, for a single machine."""
    settings = get_settings()
    threading.Thread(target=_run_desk, args=(settings,), name="desk", daemon=True).start()
    try:
        from models.worker import run_worker
    except ImportError:
        log.info("no worker yet")
    else:
        threading.Thread(target=run_worker, args=(settings,), name="worker", daemon=True).start()
    try:
        from ivr.agi.server import start_ivr_server
    except ImportError:
        log.warning("FastAGI server not available; serving the desk only")
        threading.Event().wait()
        return 0

    async def main() -> None:
        server = await start_ivr_server(settings)
        log.info("FastAGI on %s:%d", settings.agi_host, settings.agi_port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())
    return 0
