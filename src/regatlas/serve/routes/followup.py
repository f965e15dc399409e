"""The follow-up: each system's current status, the transitions recorded as the law, the pack or the answers
changed it, and a re-assessment run on demand (serve/followup.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from ..auth import ADMIN, READ, Principal, require
from ..context import Service, service
from ..followup import reassess, status_json, transition_json
from ..inventory import get_system
from ..models import SystemStatus, Transition
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, ApiProblem, FieldError, documented
from .systems import SystemId

router = APIRouter(prefix="/v1", tags=["follow-up"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Admin = Annotated[Principal, Depends(require(ADMIN))]
Svc = Annotated[Service, Depends(service)]
Params = Annotated[PageParams, Depends(page_params)]
Since = Annotated[
    dt.date | None, Query(description="Only transitions as of this date or later (YYYY-MM-DD).")
]


@router.get("/systems/{system_id}/status", responses=documented(404))
def system_status(system_id: SystemId, _: Reader, svc: Svc) -> dict[str, Any]:
    """The system's current status: each finding's yes/no/unknown on its date, the summary, the next change date."""
    with svc.database.read() as session:
        get_system(session, system_id)
        status = session.get(SystemStatus, system_id)
    if status is None:
        detail = f"system {system_id} has no status yet: store an assessment or run POST /v1/reassess"
        raise ApiProblem(404, detail, [FieldError(field="path.system_id", message="not assessed yet")])
    return status_json(status)


def _transitions(svc: Service, params: PageParams, since: dt.date | None, system_id: int | None) -> dict[str, Any]:
    query = select(Transition)
    if system_id is not None:
        query = query.where(Transition.system_id == system_id)
    if since is not None:
        query = query.where(Transition.as_of >= since.isoformat())
    with svc.database.read() as session:
        if system_id is not None:
            get_system(session, system_id)
        rows, total = fetch(session, query.order_by(Transition.id.desc()), params)
    return page([transition_json(row) for row in rows], total, params)


@router.get("/systems/{system_id}/transitions", responses=documented(404))
def system_transitions(
    system_id: SystemId, _: Reader, svc: Svc, params: Params, since: Since = None
) -> Page[dict[str, Any]]:
    """The system's transitions, newest first: per finding, old -> new, the cause and the line in words."""
    return _transitions(svc, params, since, system_id)


@router.get("/transitions")
def all_transitions(_: Reader, svc: Svc, params: Params, since: Since = None) -> Page[dict[str, Any]]:
    """Every system's transitions, newest first."""
    return _transitions(svc, params, since, None)


@router.post("/reassess")
def reassess_now(principal: Admin, svc: Svc) -> dict[str, Any]:
    """Re-assess every system that is due (new pack, new answers, a change date arrived) now, and say what changed."""
    return reassess(svc.database, svc.pack, dt.date.today(), principal.actor).json()
