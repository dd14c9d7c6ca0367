"""A database session per request, closed when the request ends."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy.orm import Session

from models.core.db import new_session


def session() -> Session:
    """The request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = new_session()
    return g.db_session


def _close(_exc=None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.rollback()
        s.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
