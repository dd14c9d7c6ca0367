"""The app's database, built from its own config, and a session per request."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from models.core.db import Database

EXTENSION = "helpline_db"


def database(app: Flask | None = None) -> Database:
    """The app's Database (made by create_app from DATABASE_URL)."""
    return (app or current_app).extensions[EXTENSION]


def session() -> Session:
    """The request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = database().session()
    return g.db_session


def _close(_exc=None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.rollback()
        s.close()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close)
