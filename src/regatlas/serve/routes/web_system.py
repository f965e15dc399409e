"""The browser pages of one system: its page (profile with who answered what, when and why; the verdict, then the
assessment by jurisdiction; the comparison with its pictures; upcoming dates; the history of transitions), the
create and edit forms (editors and admins), and its report as HTML or PDF.

Every change goes through the API's own route functions (routes/systems.py), so a page checks, links, versions
and audits exactly as the API does; the report is the API's (routes/analysis.py). See routes/web.py for the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from ...report.html import MAP_INSTRUMENT
from ..auth import READ, WRITE, Principal, require
from ..context import Service, service
from ..inventory import etag, get_system, system_json
from ..problems import ApiProblem
from ..schemas import SystemCreate, SystemUpdate
from ..web.forms import invalid, options, posted, refused
from ..web.pages import SECURITY_HEADERS, WebRoute, render
from ..web.session import csrf_protected
from ..web.system_view import calendar_part, comparison_part, system_page
from .analysis import system_report
from .systems import create_system, update_system

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(csrf_protected)])
Reader = Annotated[Principal, Depends(require(READ))]
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
SystemId = Annotated[int, Path(ge=1, le=2**63 - 1)]
EMPTY = {"name": "", "owner": "", "lifecycle": "design", "roles": [], "places": [], "models": [], "vendors": [],
         "description": ""}  # fmt: skip


def _form(request: Request, svc: Service, values: dict[str, Any], errors: dict, status: int = 200, **more: Any):
    return render(
        request, "system_form.html", status=status, values=values, errors=errors, **options(svc, values), **more
    )


def _redirect(system_id: int) -> RedirectResponse:
    return RedirectResponse(f"/ui/systems/{system_id}", status_code=303, headers=SECURITY_HEADERS)


@router.get("/ui/systems/new")
def new_system_form(request: Request, _: Writer, svc: Svc) -> Response:
    return _form(request, svc, EMPTY, {}, system_id=None, etag=None)


@router.post("/ui/systems/new")
async def create_from_form(request: Request, who: Writer, svc: Svc) -> Response:
    """Add the system through the API's route (the same checks and audit entry); errors go back to the form."""
    values = posted(await request.form())
    try:
        out = create_system(SystemCreate(**values), who, svc, Response())
    except ValidationError as exc:
        return _form(request, svc, values, invalid(exc), 422, system_id=None, etag=None)
    except ApiProblem as exc:
        return _form(request, svc, values, refused(exc), exc.status, system_id=None, etag=None)
    return _redirect(out.id)


@router.get("/ui/systems/{system_id}/edit")
def edit_system_form(request: Request, system_id: SystemId, _: Writer, svc: Svc) -> Response:
    with svc.database.read() as session:
        system = get_system(session, system_id)
        values, tag = system_json(session, system), etag(system)
    values = {
        **values,
        "models": [m["name"] for m in values["models"]],
        "vendors": [v["name"] for v in values["vendors"]],
    }
    return _form(request, svc, values, {}, system_id=system_id, etag=tag)


@router.post("/ui/systems/{system_id}/edit")
async def update_from_form(request: Request, system_id: SystemId, who: Writer, svc: Svc) -> Response:
    """Change the system through the API's route with the ETag the form was drawn from: if someone changed it
    meanwhile, the form comes back (412) saying so, with the current ETag, and nothing is changed."""
    form = await request.form()
    values, tag = posted(form), str(form.get("etag", ""))
    again = {"system_id": system_id, "etag": tag}
    try:
        update_system(system_id, SystemUpdate(**values), who, svc, Response(), if_match=tag)
    except ValidationError as exc:
        return _form(request, svc, values, invalid(exc), 422, **again)
    except ApiProblem as exc:
        if exc.status == 412 and exc.headers:
            again["etag"] = exc.headers["ETag"]
            exc.detail += " (the form now holds the current version: submit again to overwrite it)"
        if exc.status == 404:
            raise
        return _form(request, svc, values, refused(exc) | {"form": [exc.detail]}, exc.status, **again)
    return _redirect(system_id)


@router.get("/ui/systems/{system_id}")
def system_view(request: Request, system_id: SystemId, _: Reader, svc: Svc) -> Response:
    return render(request, "system.html", **system_page(svc, system_id, dt.date.today()))


@router.get("/ui/systems/{system_id}/comparison")
def comparison_fragment(request: Request, system_id: SystemId, _: Reader, svc: Svc) -> Response:
    """The comparison and its pictures (an htmx fragment of the system's page: it takes a few seconds)."""
    return render(request, "_comparison.html", **comparison_part(svc, system_id, dt.date.today()))


@router.get("/ui/systems/{system_id}/calendar")
def calendar_fragment(request: Request, system_id: SystemId, who: Reader, svc: Svc) -> Response:
    """The upcoming dates (an htmx fragment of the system's page)."""
    return render(request, "_calendar.html", calendar=calendar_part(svc, who, system_id))


@router.get("/ui/systems/{system_id}/report.html")
def report_html(system_id: SystemId, who: Reader, svc: Svc) -> Response:
    return system_report(system_id, who, svc, format="html", as_of=None, map=MAP_INSTRUMENT)


@router.get("/ui/systems/{system_id}/report.pdf")
def report_pdf(system_id: SystemId, who: Reader, svc: Svc) -> Response:
    return system_report(system_id, who, svc, format="pdf", as_of=None, map=MAP_INSTRUMENT)
