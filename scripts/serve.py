"""`helpline serve|desk|ivr|worker`: the long-running processes."""

from __future__ import annotations

import dataclasses
import logging
import os
import threading

from models.core.settings import Secret, Settings, dev_secret_path, get_settings

log = logging.getLogger(__name__)

# One desk process is sized for this many agents with the desk page open; more agents: more desk
# processes behind the reverse proxy (docs/SCALING.md).
DESK_AGENTS = 100
REQUEST_THREADS = 16  # threads for requests beside the agents' event streams


def with_secret_key(settings: Settings) -> Settings:
    """The settings with a secret key: HELPLINE_SECRET_KEY, else a development key made once under var/."""
    if str(settings.secret_key):
        return settings
    if not settings.development:
        raise SystemExit("HELPLINE_SECRET_KEY is not set: HELPLINE_ENV=production needs a secret key of its own "
                         "(e.g. HELPLINE_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))'))")
    path = dev_secret_path(settings.var_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32).hex()
    path.write_text(key)
    path.chmod(0o600)
    log.warning("HELPLINE_SECRET_KEY not set; using a generated development key in %s", path)
    return dataclasses.replace(settings, secret_key=Secret(key))


def _desk_server(settings):
    """The desk app under waitress (a production WSGI server), bound but not yet serving."""
    from waitress import create_server

    from agent_desk import create_app
    from ivr.speech import configure_speech

    configure_speech(settings)  # the model /healthz reports is the one the settings name

    # An agent's open desk page holds a thread for as long as it is open (its event stream, the
    # screen pops) and one or two connections; the other threads serve requests. With 32 threads in
    # all, the 33rd agent's stream left no thread for any request (scripts/bench/desk_load.py).
    server = create_server(create_app(settings=settings), host=settings.http_host, port=settings.http_port,
                           threads=DESK_AGENTS + REQUEST_THREADS, connection_limit=3 * DESK_AGENTS + 50,
                           channel_timeout=120, ident="helpline")
    log.info("desk on http://%s:%d", settings.http_host, settings.http_port)
    return server


def _essential(target, *args):
    """Run a component; if it dies, the whole process exits rather than limp on without it."""
    def run():
        try:
            target(*args)
        except BaseException:
            log.exception("%s stopped; exiting", getattr(target, "__name__", target))
        finally:
            os._exit(1)
    return run


def desk(args) -> int:
    _desk_server(with_secret_key(get_settings())).run()
    return 0


def ivr(args) -> int:
    from ivr.app import run_ivr

    run_ivr(get_settings())
    return 0


def serve(args) -> int:
    """Desk, FastAGI server and worker in one process, for a single machine."""
    from ivr.app import run_ivr
    from scripts.worker import run_worker

    settings = with_secret_key(get_settings())
    server = _desk_server(settings)  # import or bind errors surface here, before anything runs
    threading.Thread(target=_essential(server.run), name="desk", daemon=True).start()
    threading.Thread(target=_essential(run_worker, settings), name="worker", daemon=True).start()
    run_ivr(settings)
    return 0
