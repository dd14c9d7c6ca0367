"""Every request's text at the door: a path carrying a control character is not found (404),
query parameters are normalised as the helpline keeps text
(models/core/text.py: NFC, no control or zero-width characters, trimmed), and NUL characters and
lone surrogates — which no database stores — taken out of form fields. The domain then checks each
field's rules and bounds (models/complaints/intake.py)."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.datastructures import ImmutableMultiDict

from models.core.text import normalise_text

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _storable(value: str) -> str:
    return "".join(c for c in value.replace("\x00", "") if not "\ud800" <= c <= "\udfff")


def normalised_request() -> None:
    if any(c < " " or c == "\x7f" for c in request.path):
        abort(404)
    request.args = ImmutableMultiDict([(name, normalise_text(value))
                                       for name, value in request.args.items(multi=True)])
    if request.mimetype in FORMS:
        request.form = ImmutableMultiDict([(name, _storable(value))
                                           for name, value in request.form.items(multi=True)])


def init_app(app: Flask) -> None:
    app.before_request(normalised_request)
