"""The JSON API under /api/v1/, for bearer tokens made with `helpline tokens create`."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify, request

from agent_desk import db
from models.complaints.jurisdiction import token_actor
from models.people.tokens import TokenScope, token_scope

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_QUERY_VALUE = 200


@bp.before_request
def bounded_query():
    """A query parameter (normalised by agent_desk/edge.py) longer than MAX_QUERY_VALUE is refused, naming it."""
    for name, value in request.args.items(multi=True):
        if len(value) > MAX_QUERY_VALUE:
            return error(400, f"at most {MAX_QUERY_VALUE} characters", name, "too_long")
    return None


def error(status: int, message: str, field: str | None = None, code: str | None = None):
    """The API's error body: an English `error`, the `field` it concerns, the domain's `code`."""
    body = {"error": message}
    if field:
        body["field"] = field
    if code:
        body["code"] = code
    return jsonify(body), status


def require_token(scope: TokenScope = TokenScope.API):
    """Refuse the request unless it carries a valid bearer token of `scope`."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return error(401, "missing bearer token")
            found = token_scope(session=db.session(), token=header[7:].strip())
            if found is None:
                return error(401, "invalid or revoked token")
            if found != scope:
                return error(403, f"token scope {found.value} may not use this endpoint")
            g.api_scope = found
            return view(*args, **kwargs)
        return wrapped
    return decorator


def require_actor(view):
    """Let through an `api` token (acting as an admin) or an `officer` token (acting as its officer,
    with that officer's rights); `g.actor` is who acts."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return error(401, "missing bearer token")
        token = header[7:].strip()
        actor = token_actor(session=db.session(), token=token)
        if actor is None:
            scope = token_scope(session=db.session(), token=token)
            if scope is None:
                return error(401, "invalid or revoked token")
            return error(403, f"token scope {scope.value} may not use this endpoint")
        g.actor = actor
        return view(*args, **kwargs)
    return wrapped


from agent_desk.api import actions, calls, complaints, openapi, reports, wallboard  # noqa: F401  (routes)
