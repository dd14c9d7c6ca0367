"""The `helpline` command: one entry point for operators, developers and CI."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

log = logging.getLogger(__name__)

# Each command names "module:function"; the function takes the parsed arguments and returns
# an exit code. Modules are imported only when their command runs, so `helpline --help` is fast.
COMMANDS = {
    "serve": "scripts.serve:serve",
    "desk": "scripts.serve:desk",
    "ivr": "scripts.serve:ivr",
    "worker": "scripts.worker:cli",
    "jobs": "scripts.failed_jobs:cli",
    "db": "scripts.admin:db",
    "seed": "scripts.admin:seed",
    "users": "scripts.admin:users",
    "tokens": "scripts.admin:tokens",
    "prompts": "scripts.prompts:cli",
    "asterisk": "scripts.local_asterisk.cli:cli",
    "call": "scripts.demo_call:cli",
    "grades": "scripts.grades:cli",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="helpline",
        description="CG CM Helpline (मुख्यमंत्री हेल्पलाइन, छत्तीसगढ़): IVR, agent desk and grievance redressal.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("serve", help="run the desk (HTTP), the FastAGI server and the worker together")
    sub.add_parser("desk", help="run only the web desk and APIs (HTTP)")
    sub.add_parser("ivr", help="run only the FastAGI IVR server")
    worker = sub.add_parser("worker", help="run only the worker: the scheduled jobs on the job engine "
                            "(docs/jobs.md)")
    worker.add_argument("--once", action="store_true", help="run every job once and exit")
    worker.add_argument("--now", default=None, metavar="ISO-8601",
                        help="with --once: run as of this moment (e.g. 2026-12-01T10:00+05:30)")

    jobs = sub.add_parser("jobs", help="the worker's failed jobs (PostgreSQL)")
    jobs.add_argument("action", choices=["failed", "retry"], help="failed: list them; retry ID: run one again")
    jobs.add_argument("job_id", nargs="?", type=int, metavar="ID", help="with retry: the job's ID")
    jobs.add_argument("--limit", type=int, default=50, help="with failed: at most this many (newest first)")

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply all migrations")

    seed = sub.add_parser("seed", help="load reference data (idempotent)")
    seed.add_argument("--demo", action="store_true", help="also demo officers, users and complaints")

    users = sub.add_parser("users", help="manage desk users")
    users.add_argument("action", choices=["add"])
    users.add_argument("name", help="login name")
    users.add_argument("--role", required=True, help="agent, supervisor, officer, nodal_officer, "
                       "secretary, jandarshan_operator, good_governance or admin")
    users.add_argument("--password", help="password (asked for when omitted)")
    users.add_argument("--full-name", default=None)

    tokens = sub.add_parser("tokens", help="API bearer tokens")
    tokens.add_argument("action", choices=["create", "revoke"], help="create prints a new token; revoke "
                        "ends every token of that name")
    tokens.add_argument("name")
    tokens.add_argument("--days", type=int, default=None, help="with create: the token stops working after "
                        "this many days (default: until revoked)")
    tokens.add_argument("--scope", choices=["api", "open311", "officer"], help="with create (required)")
    tokens.add_argument("--officer", metavar="LOGIN", default=None,
                        help="with --scope officer: the officer's login the token acts as")

    prompts = sub.add_parser("prompts", help="IVR prompts")
    prompts.add_argument("action", choices=["build"], help="render the catalogues to 8 kHz audio")
    prompts.add_argument("--force", action="store_true", help="rebuild even unchanged prompts")

    ast = sub.add_parser("asterisk", help="the local Asterisk for development and tests")
    ast.add_argument("action", choices=["up", "down", "status", "rx"])
    ast.add_argument("cli_command", nargs="?", help="with rx: the Asterisk CLI command to run")

    grades = sub.add_parser("grades", help="monthly grades of districts and departments")
    grades.add_argument("action", choices=["compute"], help="compute and store (again) a month's grades")
    grades.add_argument("--month", default=None, metavar="YYYY-MM", help="the month (default: the last one)")

    call = sub.add_parser("call", help="place a demo call into the local Asterisk as a citizen")
    call.add_argument("--caller", default="9876543210", help="the citizen's number")
    call.add_argument("--keys", default="", help="keys pressed, in order; 'w' waits a second")
    call.add_argument("--say", default=None, help="text the caller speaks (espeak-ng)")
    call.add_argument("--voice", default="hi", help="espeak-ng voice for --say")
    call.add_argument("--timeout", type=float, default=120.0)
    call.add_argument("--sip", action="store_true",
                      help="call from a real SIP phone on the trunk (SIPp) instead of a Local/ channel")
    call.add_argument("--withheld", action="store_true", help="with --sip: the number is withheld")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("procrastinate").setLevel(logging.WARNING)  # a line per job run otherwise
    module_name, func_name = COMMANDS[args.command].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a clear one-line error for the operator; details at debug
        log.debug("command failed", exc_info=True)
        print(f"helpline {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
