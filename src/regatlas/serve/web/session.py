"""The browser session: the cookie that holds the API token, and the CSRF token every change must carry.

The cookie is Secure, HttpOnly, SameSite=Strict and limited to Path=/ui: scripts cannot read it, other sites
cannot make the browser send it, and the API under /v1 never sees it (it wants the token as a Bearer header).
SameSite alone is not relied on (an old browser, or a page on a sibling subdomain, may still post a form), so
every POST under /ui must also carry the CSRF token: an HMAC-SHA256 of a fixed label keyed by the session token's
hash. It needs no storage, differs per session and dies with it (a revoked token's pages cannot post), and
cannot be computed without the token, which only the cookie holds.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Response

from ..auth import SESSION_COOKIE, Principal
from ..problems import ApiProblem, FieldError

CSRF_FIELD = "csrf_token"  # the hidden field of every form
CSRF_HEADER = "X-CSRF-Token"  # the header htmx sends (hx-headers on <body>)
_CSRF_LABEL = b"regatlas ui csrf v1"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_PATH = "/ui"
# The login form is the one POST without a session to derive a token from; all it can do is start a session for
# the token posted, which the person posting must already hold.
LOGIN_PATH = "/ui/login"
SESSION_HOURS = 12


def csrf_token(session_digest: str) -> str:
    """The CSRF token of a session (given as the SHA-256 hex digest of its API token)."""
    return hmac.new(bytes.fromhex(session_digest), _CSRF_LABEL, hashlib.sha256).hexdigest()


def principal(request: Request) -> Principal:
    """Who is logged in (set by the middleware from the cookie, serve/auth.py)."""
    return request.state.principal


def request_csrf(request: Request) -> str:
    """The CSRF token pages must put into their forms and htmx headers."""
    return csrf_token(request.state.session_digest)


async def csrf_protected(request: Request) -> None:
    """A dependency of every page router: a request that may change something must carry the session's CSRF token
    in the X-CSRF-Token header or the csrf_token form field (403 otherwise, even with a valid cookie)."""
    if request.method in SAFE_METHODS or request.url.path == LOGIN_PATH:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, request_csrf(request)):
        raise ApiProblem(
            403,
            "the form is missing its CSRF token or it does not match this session: reload the page and try again",
            [FieldError(field=f"body.{CSRF_FIELD}", message="missing or wrong")],
        )


def start_session(response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path=SESSION_PATH,
        secure=True,  # browsers treat http://127.0.0.1 and localhost as secure, so it works locally too
        httponly=True,
        samesite="strict",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=SESSION_PATH, secure=True, httponly=True, samesite="strict")
