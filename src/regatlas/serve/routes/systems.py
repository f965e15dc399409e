"""Systems: create, read, list with filters, update and archive (ETag / If-Match on every change)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from sqlalchemy import select

from .. import audit
from ..auth import READ, WRITE, Principal, require
from ..context import Service, service
from ..db import now
from ..inventory import bump, check_metadata, etag, expect_version, get_system, system_json
from ..models import System
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, documented
from ..schemas import Lifecycle, SystemCreate, SystemOut, SystemUpdate

router = APIRouter(prefix="/v1/systems", tags=["systems"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
SystemId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The system's id.")]
IfMatch = Annotated[str | None, Header(description="The ETag of the system as you read it.")]
CHANGE_RESPONSES = documented(404, 412, 428)


@router.post("", status_code=201)
def create_system(body: SystemCreate, principal: Writer, svc: Svc, response: Response) -> SystemOut:
    """Add a system to the inventory."""
    values = check_metadata(svc.pack, body.model_dump())
    stamp = now()
    with svc.database.write() as session:
        system = System(**values, archived=False, version=1, created_at=stamp, updated_at=stamp)
        session.add(system)
        session.flush()
        out = system_json(system)
        audit.append(session, principal.actor, "system.create", f"system:{system.id}", out)
    response.headers["ETag"] = etag(system)
    response.headers["Location"] = f"/v1/systems/{system.id}"
    return SystemOut(**out)


@router.get("")
def list_systems(
    _: Reader,
    svc: Svc,
    params: Annotated[PageParams, Depends(page_params)],
    owner: Annotated[str | None, Query(max_length=200)] = None,
    lifecycle: Lifecycle | None = None,
    place: Annotated[str | None, Query(max_length=20, description="Systems offered or used in this place.")] = None,
    model: Annotated[str | None, Query(max_length=200, description="Systems resting on this model.")] = None,
    vendor: Annotated[str | None, Query(max_length=200)] = None,
    archived: bool = False,
) -> Page[SystemOut]:
    """The systems, oldest first, filtered by owner, lifecycle stage, place, model and vendor; archived ones only
    on request."""
    query = select(System).where(System.archived == archived).order_by(System.id)
    if owner is not None:
        query = query.where(System.owner == owner)
    if lifecycle is not None:
        query = query.where(System.lifecycle == lifecycle)
    if place is not None:
        code = json.loads(check_metadata(svc.pack, {"places": [place]})["places"])[0]
        query = query.where(System.places.contains(json.dumps(code), autoescape=True))  # a JSON list holds "DE" quoted
    for column, name in ((System.models, model), (System.vendors, vendor)):
        if name is not None:
            query = query.where(
                column.contains(json.dumps(name), autoescape=True)
            )  # the name quoted, as in the JSON list
    with svc.database.read() as session:
        rows, total = fetch(session, query, params)
        return page([system_json(r) for r in rows], total, params)


@router.get("/{system_id}", responses=documented(404))
def read_system(system_id: SystemId, _: Reader, svc: Svc, response: Response) -> SystemOut:
    """One system, with its ETag (send it back as If-Match to change the system)."""
    with svc.database.read() as session:
        system = get_system(session, system_id)
    response.headers["ETag"] = etag(system)
    return SystemOut(**system_json(system))


@router.patch("/{system_id}", responses=CHANGE_RESPONSES)
def update_system(
    system_id: SystemId, body: SystemUpdate, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> SystemOut:
    """Change some of a system's fields; refused (412) if it changed since the ETag in If-Match."""
    changes = check_metadata(svc.pack, body.model_dump(exclude_unset=True, exclude_none=True))
    return _change(svc, system_id, if_match, principal, response, changes, "system.update")


@router.post("/{system_id}/archive", responses=CHANGE_RESPONSES)
def archive_system(
    system_id: SystemId, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> SystemOut:
    """Archive a system: it leaves the lists (ask with archived=true); its history stays."""
    return _change(svc, system_id, if_match, principal, response, {"archived": True}, "system.archive")


def _change(
    svc: Service, system_id: int, if_match: str | None, principal: Principal, response: Response, changes, action: str
) -> SystemOut:
    with svc.database.write() as session:
        system = get_system(session, system_id)
        version = expect_version(if_match, system)
        system = bump(session, system, version, changes)
        out = system_json(system)
        audit.append(session, principal.actor, action, f"system:{system.id}", {"changes": _shown(changes), **out})
    response.headers["ETag"] = etag(system)
    return SystemOut(**out)


def _shown(changes: dict) -> dict:
    """The changes as JSON values (the list fields are stored as JSON text)."""
    lists = ("roles", "places", "models", "vendors")
    return {k: json.loads(v) if k in lists else v for k, v in changes.items()}
