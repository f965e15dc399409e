"""Errors as RFC 9457 problem details (`application/problem+json`), every one naming the field at fault.

{"type": "about:blank" | a regatlas URI, "title", "status", "detail", "errors": [{"field", "message",
"allowed"?}]}: `field` is a JSON path into the request ("body.answers.system.is_ai_system", "path.system_id",
"header.If-Match").
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ..errors import RegatlasError

MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str
    message: str
    allowed: list[str] = []


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, with the fields at fault in `errors`."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised by a route: becomes a problem response with this status."""

    def __init__(
        self, status: int, detail: str, errors: list[FieldError] | None = None, headers: dict[str, str] | None = None
    ):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or [], headers


def problem_response(status: int, detail: str, errors: list[FieldError] | None = None, headers=None) -> JSONResponse:
    body = ProblemDetail(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors or [])
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def from_regatlas(exc: RegatlasError, prefix: str) -> ApiProblem:
    """A validation error of the vocabulary (a bad fact, value or code) as a 422 naming each field."""
    errors = [
        FieldError(
            field=".".join(p for p in (prefix, problem.path) if p),
            message=problem.message + (f" (did you mean '{problem.suggestion}'?)" if problem.suggestion else ""),
            allowed=problem.allowed[:50],
        )
        for problem in exc.problems
    ]
    return ApiProblem(422, "the request does not match the fact vocabulary", errors)


def _validation_field(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


def _allowed_methods(request: Request) -> list[str]:
    """Every method of every route on this path (Starlette names only the first route's methods in Allow)."""
    methods: set[str] = set()
    for route in request.app.state.api_routes:
        match, _ = route.matches({**request.scope, "method": "\0"})  # no method matches: path-only matches
        if match is Match.PARTIAL:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def no_unknown_query(request: Request) -> None:
    """A misspelt query parameter (`?ownr=hr`) is an error naming it, never a silently unfiltered list. Async, as
    it does no I/O: FastAPI would run a plain function in a worker thread on every request."""
    route = request.scope.get("route")
    known = _query_names(route.dependant) if route is not None else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        errors = [
            FieldError(field=f"query.{name}", message="unknown parameter", allowed=sorted(known)) for name in unknown
        ]
        raise ApiProblem(422, "unknown query parameter", errors)


def install(app: FastAPI) -> None:
    """Every error the app can produce, in the one problem format."""

    @app.exception_handler(ApiProblem)
    async def _api(_request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldError(field=_validation_field(e["loc"]), message=e["msg"]) for e in exc.errors()]
        return problem_response(422, "the request is not valid", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's only 400: a body that cannot be read as JSON text (e.g. not UTF-8)
        errors = [FieldError(field="body", message=str(exc.detail))] if exc.status_code == 400 else []
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem_response(exc.status_code, str(exc.detail), errors, headers)

    @app.exception_handler(RegatlasError)
    async def _regatlas(_request: Request, exc: RegatlasError) -> JSONResponse:
        problem = from_regatlas(exc, "")  # a bad input found below the routes: still a 422 naming the field
        return problem_response(problem.status, problem.detail, problem.errors)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, _exc: Exception) -> JSONResponse:
        return problem_response(500, "internal error (the server log has the details)")


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Problem responses for the OpenAPI document, under the problem media type."""
    schema = {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
    return {
        code: {"model": ProblemDetail, "content": {MEDIA_TYPE: schema}, "description": HTTPStatus(code).phrase}
        for code in codes
    }


# Documented on every route (the OpenAPI document lists the problem responses a client must handle).
RESPONSES = documented(400, 401, 403, 422)
