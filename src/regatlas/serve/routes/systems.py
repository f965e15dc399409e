"""Systems: create, read, list with filters, update and archive (ETag / If-Match on every change).

A system's models and vendors are named in the request and stored as links to records of the register
(serve/records.py): a name the register lacks is a 422 naming it; the system shows them as [{id, name}]."""

from __future__ import annotations

import difflib
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from sqlalchemy import select

from ...report.verdict import RANKED, UNDECIDED
from .. import audit
from ..auth import READ, WRITE, Principal, require
from ..context import Service, service
from ..db import now
from ..inventory import bump, check_metadata, etag, expect_version, get_system, system_json, systems_json
from ..labels import INSTRUMENT, RISK_CLASS, VERDICT, labelled
from ..models import System
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, ApiProblem, FieldError, documented
from ..records import KINDS, MODELS, VENDORS, Kind, linked_ids, resolve, resting_on, set_links
from ..schemas import Lifecycle, SystemCreate, SystemOut, SystemUpdate

router = APIRouter(prefix="/v1/systems", tags=["systems"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
SystemId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The system's id.")]
Verdict = Literal[(*RANKED, UNDECIDED)]  # type: ignore[valid-type]  # report/verdict.py's categories
CLASS_HELP = "Systems in this risk class (e.g. high-risk) on their status's date."
INSTRUMENT_HELP = "Systems this instrument reaches (in scope) on their status's date."
IfMatch = Annotated[str | None, Header(description="The ETag of the system as you read it.")]
CHANGE_RESPONSES = documented(404, 412, 428)
LINKED = {kind.plural: kind for kind in KINDS}  # the request fields that name records: "models", "vendors"


@router.post("", status_code=201)
def create_system(body: SystemCreate, principal: Writer, svc: Svc, response: Response) -> SystemOut:
    """Add a system to the inventory (its models and vendors named as the register names them)."""
    values = body.model_dump()
    links = _links(values)
    values = check_metadata(svc.pack, values)
    stamp = now()
    with svc.database.write() as session:
        ids = {kind: resolve(session, kind, names) for kind, names in links.items()}
        system = System(**values, archived=False, version=1, created_at=stamp, updated_at=stamp)
        session.add(system)
        session.flush()
        for kind, record_ids in ids.items():
            set_links(session, kind, system.id, record_ids)
        out = system_json(session, system)
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
    model: Annotated[str | None, Query(max_length=200, description="Systems resting on the model so named.")] = None,
    model_id: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="... on the model with this id.")] = None,
    vendor: Annotated[str | None, Query(max_length=200, description="Systems of the vendor so named.")] = None,
    vendor_id: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="... of the vendor with this id.")] = None,
    risk_class: Annotated[
        str | None,
        Query(
            alias="class",
            max_length=200,
            description="Systems in this risk class (e.g. high-risk) on their status's date.",
        ),
    ] = None,
    instrument: Annotated[
        str | None,
        Query(max_length=200, description="Systems this instrument reaches (in scope) on their status's date."),
    ] = None,
    verdict: Annotated[
        Verdict | None, Query(description="Systems with this verdict in at least one jurisdiction.")
    ] = None,
    archived: bool = False,
) -> Page[SystemOut]:
    """The systems, oldest first, filtered by owner, lifecycle stage, place, model and vendor (by name or id), and
    by what their current status says (risk class, instrument, verdict); archived ones only on request."""
    query = select(System).where(System.archived == archived).order_by(System.id)
    if owner is not None:
        query = query.where(System.owner == owner)
    if lifecycle is not None:
        query = query.where(System.lifecycle == lifecycle)
    if place is not None:
        code = json.loads(check_metadata(svc.pack, {"places": [place]})["places"])[0]
        query = query.where(System.places.contains(json.dumps(code), autoescape=True))  # a JSON list holds "DE" quoted
    for kind, name, record_id in ((MODELS, model, model_id), (VENDORS, vendor, vendor_id)):
        if name is not None or record_id is not None:
            query = query.where(resting_on(kind, record_id=record_id, name=name))
    for kind, value in ((RISK_CLASS, risk_class), (INSTRUMENT, _instrument(svc, instrument)), (VERDICT, verdict)):
        if value is not None:
            query = labelled(query, kind, value)
    with svc.database.read() as session:
        rows, total = fetch(session, query, params)
        return page(systems_json(session, rows), total, params)


def _instrument(svc: Service, key: str | None) -> str | None:
    """An instrument of the pack (422 naming query.instrument otherwise: a misspelt id would list nothing)."""
    if key is None or key in svc.pack.instruments:
        return key
    nearest = difflib.get_close_matches(key, list(svc.pack.instruments), n=3)
    hint = f" (did you mean {', '.join(repr(n) for n in nearest)}?)" if nearest else ""
    raise ApiProblem(
        422, f"no instrument {key!r} in the pack", [FieldError(field="query.instrument", message=f"unknown{hint}")]
    )


@router.get("/{system_id}", responses=documented(404))
def read_system(system_id: SystemId, _: Reader, svc: Svc, response: Response) -> SystemOut:
    """One system, with its ETag (send it back as If-Match to change the system)."""
    with svc.database.read() as session:
        system = get_system(session, system_id)
        out = system_json(session, system)
    response.headers["ETag"] = etag(system)
    return SystemOut(**out)


@router.patch("/{system_id}", responses=CHANGE_RESPONSES)
def update_system(
    system_id: SystemId, body: SystemUpdate, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> SystemOut:
    """Change some of a system's fields (a list of models or vendors replaces the current one); refused (412) if
    it changed since the ETag in If-Match."""
    values = body.model_dump(exclude_unset=True, exclude_none=True)
    links = _links(values)
    changes = check_metadata(svc.pack, values)
    return _change(svc, system_id, if_match, principal, response, changes, "system.update", links)


@router.post("/{system_id}/archive", responses=CHANGE_RESPONSES)
def archive_system(
    system_id: SystemId, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> SystemOut:
    """Archive a system: it leaves the lists (ask with archived=true); its history stays."""
    return _change(svc, system_id, if_match, principal, response, {"archived": True}, "system.archive")


def _links(values: dict) -> dict[Kind, list[str]]:
    """Take the named records out of the request's values: kind -> the names, each once, in the order given."""
    return {LINKED[key]: list(dict.fromkeys(values.pop(key))) for key in list(values) if key in LINKED}


def _change(
    svc: Service,
    system_id: int,
    if_match: str | None,
    principal: Principal,
    response: Response,
    changes: dict,
    action: str,
    links: dict[Kind, list[str]] | None = None,
) -> SystemOut:
    links = links or {}
    with svc.database.write() as session:
        system = get_system(session, system_id)
        version = expect_version(if_match, system)
        ids = {
            kind: resolve(session, kind, names, linked_ids(session, kind, system.id)) for kind, names in links.items()
        }
        system = bump(session, system, version, changes)
        for kind, record_ids in ids.items():
            set_links(session, kind, system.id, record_ids)
        out = system_json(session, system)
        shown = _shown(changes) | {kind.plural: names for kind, names in links.items()}
        audit.append(session, principal.actor, action, f"system:{system.id}", {"changes": shown, **out})
    response.headers["ETag"] = etag(system)
    return SystemOut(**out)


def _shown(changes: dict) -> dict:
    """The changes as JSON values (roles and places are stored as JSON text; models and vendors as names)."""
    return {k: json.loads(v) if k in ("roles", "places") else v for k, v in changes.items()}
