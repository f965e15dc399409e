"""The browser pages' entry: log in and out, the shipped static files, and the inventory (the list of systems
with its filters, and its CSV and JSON exports). The pages of one system are in routes/web_system.py.

Not in the OpenAPI document (include_in_schema=False): these are pages, not API. Every route here but the login
form, the static files and "/" needs the session cookie (serve/auth.py); every POST the CSRF token (web/session.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import FileResponse, RedirectResponse

from ..auth import READ, Principal, authenticate, require
from ..context import Service, service
from ..problems import ApiProblem, FieldError
from ..web.inventory_view import Filters, YesNo, as_csv, as_json, choices, inventory
from ..web.pages import SECURITY_HEADERS, STATIC, WebRoute, render
from ..web.session import csrf_protected, end_session, start_session

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(csrf_protected)])
Reader = Annotated[Principal, Depends(require(READ))]
Svc = Annotated[Service, Depends(service)]
# The files shipped in web/static, read once: a request names one of them or gets a 404 (no path is ever joined).
STATIC_FILES = {p.name: p for p in STATIC.iterdir() if p.is_file()}
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}
Text = Annotated[str, Query(max_length=200)]


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/ui/systems", status_code=303)


@router.get("/ui")
def ui_root() -> RedirectResponse:
    return RedirectResponse("/ui/systems", status_code=303)


@router.get("/ui/static/{name}")
def static_file(name: Annotated[str, Path(max_length=100)]) -> FileResponse:
    path = STATIC_FILES.get(name)
    if path is None:
        raise ApiProblem(404, f"no static file {name!r}", [FieldError(field="path.name", message="not found")])
    media = STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, headers={"X-Content-Type-Options": "nosniff"})


@router.get("/ui/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", error=None)


@router.post("/ui/login")
def login(request: Request, svc: Svc, token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """A live API token starts a session (the cookie); anything else shows the form again, with a 401."""
    if authenticate(svc.database, token.strip()) is None:
        return render(request, "login.html", status=401, error="That token is not valid (unknown, or revoked).")
    response = RedirectResponse("/ui/systems", status_code=303, headers=SECURITY_HEADERS)
    start_session(response, token.strip())
    return response


@router.post("/ui/logout")
def logout(_: Reader) -> Response:
    response = RedirectResponse("/ui/login", status_code=303, headers=SECURITY_HEADERS)
    end_session(response)
    return response


def _filters(
    place: Text = "",
    risk_class: Annotated[str, Query(alias="class", max_length=200)] = "",
    instrument: Text = "",
    owner: Text = "",
    open_questions: Annotated[str, Query(pattern="^(yes|no)?$")] = "",
    changes_soon: Annotated[str, Query(pattern="^(yes|no)?$")] = "",
) -> Filters:
    """The filter form's fields (an empty field is no filter: browsers send empty fields too)."""
    return Filters(
        place=place.strip() or None,
        risk_class=risk_class.strip() or None,
        instrument=instrument.strip() or None,
        owner=owner.strip() or None,
        open_questions=_yes_no(open_questions),
        changes_soon=_yes_no(changes_soon),
    )


def _yes_no(value: str) -> YesNo | None:
    return "yes" if value == "yes" else "no" if value == "no" else None


Filtered = Annotated[Filters, Depends(_filters)]


@router.get("/ui/systems")
def systems_page(request: Request, who: Reader, svc: Svc, filters: Filtered) -> Response:
    """The inventory: every system the filters keep, with its verdicts, open findings and next change."""
    today = dt.date.today()
    try:
        rows, problem = inventory(svc, who, filters, today), None
    except ApiProblem as exc:  # a filter the API refuses (an unknown place or instrument): shown by its field
        rows, problem = [], exc
    status = problem.status if problem else 200
    return render(
        request,
        "systems.html",
        status=status,
        rows=rows,
        filters=filters,
        problem=problem,
        today=today,
        soon_days=90,
        **choices(svc),
    )


@router.get("/ui/systems.csv")
def systems_csv(who: Reader, svc: Svc, filters: Filtered) -> Response:
    today = dt.date.today()
    body = as_csv(inventory(svc, who, filters, today), today)
    headers = {"Content-Disposition": f'attachment; filename="regatlas-systems-{today.isoformat()}.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/ui/systems.json")
def systems_json(who: Reader, svc: Svc, filters: Filtered) -> Response:
    today = dt.date.today()
    body = as_json(inventory(svc, who, filters, today), filters, today)
    headers = {"Content-Disposition": f'attachment; filename="regatlas-systems-{today.isoformat()}.json"'}
    return Response(body, media_type="application/json", headers=headers)
