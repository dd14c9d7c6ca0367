"""Administrative commands: db upgrade, seed, users add, tokens create."""

from __future__ import annotations

import getpass
import logging

log = logging.getLogger(__name__)


def db(args) -> int:
    from models.core.migrate import upgrade
    from models.core.settings import get_settings

    upgrade()
    print(f"database is up to date: {_safe_url(get_settings().database_url)}")
    return 0


def seed(args) -> int:
    from models.core.settings import get_settings
    from models.seed import seed as run_seed

    counts = run_seed(demo=args.demo, demo_password=str(get_settings().demo_password))
    print("added: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def users(args) -> int:
    from models.core.db import unit_of_work
    from models.people.users import Role, add_user

    try:
        role = Role(args.role)
    except ValueError:
        raise SystemExit(f"unknown role {args.role!r}; one of: {', '.join(r.value for r in Role)}")
    password = args.password or getpass.getpass(f"password for {args.name}: ")
    with unit_of_work() as uow:
        user = add_user(session=uow.session, username=args.name, password=password, role=role,
                        full_name=args.full_name or args.name)
        uow.commit()
    print(f"user {user.username} added with role {role.value}")
    return 0


def tokens(args) -> int:
    from models.core.db import unit_of_work
    from models.people.tokens import create_token, revoke_tokens

    if args.action == "revoke":
        with unit_of_work() as uow:
            count = revoke_tokens(session=uow.session, name=args.name)
            uow.commit()
        print(f"{count} token(s) named {args.name} revoked")
        return 0 if count else 1
    if not args.scope:
        raise SystemExit("tokens create needs --scope api|open311|officer")
    with unit_of_work() as uow:
        token = create_token(session=uow.session, name=args.name, scope=args.scope,
                             officer_login=getattr(args, "officer", None), days=args.days)
        uow.commit()
    print(token)
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
