"""Rendering pages: the templates, what every page is given (who is logged in, the CSRF token, whether they may
edit), the security headers, and errors as pages instead of JSON.

Page routers use `WebRoute`, so a problem raised anywhere below a page (a role not allowed, a missing CSRF token,
a system that does not exist, an answer the vocabulary refuses) is shown as a page with the same status and the
fields at fault, as the API would name them.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..auth import WRITE, Principal
from ..problems import ApiProblem, FieldError
from .session import CSRF_FIELD, CSRF_HEADER, csrf_token

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# Only this origin's scripts and styles; inline style attributes are allowed for the report's SVG pictures
# (matplotlib writes them), never inline scripts. No frames, forms post only here.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # pages show live data and a session's CSRF token
}

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,  # a misspelt variable is an error in the tests, never an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)


def session_context(request: Request) -> dict[str, Any]:
    """What every page's template is given: the principal (None on the login page), the CSRF token and names."""
    who: Principal | None = getattr(request.state, "principal", None)
    digest = getattr(request.state, "session_digest", None)
    return {
        "principal": who,
        "can_edit": who is not None and who.role in WRITE,
        "csrf": csrf_token(digest) if digest else "",
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "path": request.url.path,
    }


def render(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any):
    """The template rendered as a page (or an htmx fragment), with the security headers."""
    text = environment.get_template(template).render(**session_context(request), **context)
    return HTMLResponse(text, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})})


def problem_page(request: Request, status: int, detail: str, errors: list[FieldError]) -> HTMLResponse:
    """The problem as a page, or, asked for by htmx (a part of a page), as that part: htmx swaps it in place of
    what was loading (base.html tells htmx to swap error responses too)."""
    template = "_problem.html" if request.headers.get("HX-Request") == "true" else "problem.html"
    return render(request, template, status=status, code=status, detail=detail, errors=errors)


def _validation_errors(exc: RequestValidationError) -> list[FieldError]:
    return [FieldError(field=".".join(str(p) for p in e["loc"]), message=e["msg"]) for e in exc.errors()]


class WebRoute(APIRoute):
    """A page route: problems become pages (the API's status and field names, shown to a person)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiProblem as exc:
                return problem_page(request, exc.status, exc.detail, exc.errors)
            except RequestValidationError as exc:
                return problem_page(request, 422, "the request is not valid", _validation_errors(exc))

        return route
