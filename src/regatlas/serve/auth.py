"""API tokens and roles.

A token is `rga_` + 32 random bytes (secrets, URL-safe base64). The database keeps only its SHA-256 hash and its
first characters (`prefix`) to find the row; a 256-bit random secret needs no slow hash. Authentication runs as
middleware before routing, so no route, present or future, answers without a live token (only PUBLIC paths do);
each route then states which roles may call it (`require`).

The token is looked up on every request, so a revocation holds from the next request on, in every worker process.
The lookup is one prepared statement on a pooled driver connection (about 10 microseconds on SQLite, against about
190 for an ORM session), run on the event loop for SQLite: a local read that never waits for the writer (WAL),
cheaper than the hop to a worker thread. A PostgreSQL round trip can take longer, so it stays off the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Receive, Scope, Send

from .db import Database, now
from .models import Token
from .problems import ApiProblem, problem_response

ROLES = ("viewer", "editor", "admin", "auditor")
TOKEN_PREFIX = "rga_"
PREFIX_LENGTH = 12  # "rga_" and 8 characters of the secret: enough to find one row among millions
PUBLIC = frozenset({"/health", "/ready", "/openapi.json"})
# The browser pages (serve/web) carry the token in a cookie limited to /ui instead of a header: the same lookup, so a
# revoked token is refused at once; a missing or dead one is sent to the login form. "/" only redirects to /ui.
UI_PREFIX = "/ui/"
UI_PUBLIC = frozenset({"/", "/ui/login"})
UI_STATIC = "/ui/static/"
SESSION_COOKIE = "regatlas_session"

# What each kind of route needs. An auditor reads everything and the audit log, and writes nothing.
READ = ("viewer", "editor", "admin", "auditor")
WRITE = ("editor", "admin")
ADMIN = ("admin",)
AUDIT = ("auditor", "admin")


@dataclass(frozen=True)
class Principal:
    token_id: int
    name: str
    role: str

    @property
    def actor(self) -> str:
        return f"token:{self.token_id}:{self.name}"


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session, role: str, name: str, created_by: str) -> tuple[Token, str]:  # type: ignore[no-untyped-def]
    """A new token row and the token itself (shown once: only its hash is stored)."""
    secret = new_secret()
    row = Token(
        prefix=secret[:PREFIX_LENGTH],
        hash=digest(secret),
        role=role,
        name=name,
        created_at=now(),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row, secret


def _lookup_sql(paramstyle: str) -> str:
    """The live tokens with a prefix, in the driver's own placeholder (sqlite3: `?`; psycopg: `%s`)."""
    mark = "?" if paramstyle == "qmark" else "%s"
    return f"SELECT id, hash, name, role FROM tokens WHERE prefix = {mark} AND revoked_at IS NULL"


def authenticate(database: Database, secret: str) -> Principal | None:
    """The live token this secret is, or None (unknown, malformed or revoked)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) < PREFIX_LENGTH:
        return None
    wanted = digest(secret)
    connection = database.engine.raw_connection()  # from the pool: a returned connection is rolled back
    try:
        cursor = connection.cursor()
        cursor.execute(_lookup_sql(database.engine.dialect.paramstyle), (secret[:PREFIX_LENGTH],))
        rows = cursor.fetchall()
        cursor.close()
    finally:
        connection.close()
    for token_id, hashed, name, role in rows:
        if hmac.compare_digest(hashed, wanted):
            return Principal(token_id, name, role)
    return None


async def _principal(database: Database, secret: str) -> Principal | None:
    if database.is_sqlite:
        return authenticate(database, secret)
    return await anyio.to_thread.run_sync(authenticate, database, secret)


def _bearer(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            return credentials.strip() if scheme.lower() == "bearer" else None
    return None


class TokenMiddleware:
    """Refuses every request but the PUBLIC paths without a live token (401), before routing and body parsing."""

    def __init__(self, app: ASGIApp, database: Database):
        self.app, self.database = app, database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in PUBLIC:
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(UI_PREFIX) or scope["path"] in UI_PUBLIC or scope["path"] == "/ui":
            await self._browser(scope, receive, send)
            return
        secret = _bearer(scope)
        principal = await _principal(self.database, secret) if secret else None
        if principal is None:
            detail = "a valid API token is required" if secret else "an API token is required"
            response = problem_response(401, detail, headers={"WWW-Authenticate": 'Bearer realm="regatlas"'})
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    async def _browser(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A page: the token from the session cookie; without a live one, 303 to the login form (never a 401 a
        browser would show as a bare error). The session's hash is kept for the CSRF token (serve/web/session.py)."""
        path = scope["path"]
        if path in UI_PUBLIC or path.startswith(UI_STATIC):
            await self.app(scope, receive, send)
            return
        secret = _cookie(scope, SESSION_COOKIE)
        principal = await _principal(self.database, secret) if secret else None
        if principal is None:
            await RedirectResponse("/ui/login", status_code=303)(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["principal"], state["session_digest"] = principal, digest(secret or "")
        await self.app(scope, receive, send)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for pair in value.decode("latin-1").split(";"):
                cookie_name, _, cookie_value = pair.strip().partition("=")
                if cookie_name == name and cookie_value:
                    return cookie_value
    return None


_bearer_scheme = HTTPBearer(auto_error=False, description="An API token issued by an admin (POST /v1/tokens).")
# Declares the bearer scheme in the OpenAPI document; the middleware has already checked the token.
_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)]


def require(roles: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A dependency: the caller's principal, if its role is one of `roles` (403 otherwise). Async, as it does no
    I/O: FastAPI would run a plain function in a worker thread, a hop that costs more than the check."""

    async def dependency(request: Request, _credentials: _Credentials) -> Principal:
        principal: Principal = request.state.principal
        if principal.role not in roles:
            raise ApiProblem(403, f"the role '{principal.role}' may not do this; allowed: {', '.join(roles)}")
        return principal

    return dependency
