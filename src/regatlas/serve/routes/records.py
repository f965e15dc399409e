"""Models and vendors, the register's records: create, list with filters, read, change (ETag / If-Match),
archive, and the systems that rest on each. The rules live in serve/records.py; these routes are thin."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..auth import READ, WRITE, Principal, require
from ..context import Service, service
from ..db import now
from ..inventory import systems_json
from ..models import AiModel, System, Vendor
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, documented
from ..records import (
    MODELS,
    VENDORS,
    Kind,
    bump,
    check_name_free,
    etag,
    expect_version,
    get_record,
    record_json,
    resting_on,
)
from ..schemas import (
    ModelCreate,
    ModelOut,
    ModelUpdate,
    SystemOut,
    VendorCreate,
    VendorOut,
    VendorUpdate,
)

router = APIRouter(tags=["records"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
Paging = Annotated[PageParams, Depends(page_params)]
ModelId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The model's id.")]
VendorId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The vendor's id.")]
IfMatch = Annotated[str | None, Header(description="The ETag of the record as you read it.")]
NameFilter = Annotated[str | None, Query(max_length=200, description="The record of this name (matched literally).")]
CREATE_RESPONSES = documented(409)
CHANGE_RESPONSES = documented(404, 409, 412, 428)
ARCHIVE_RESPONSES = documented(404, 412, 428)
YES_NO = {"yes": True, "no": False, "unknown": None}


@router.post("/v1/models", status_code=201, responses=CREATE_RESPONSES)
def create_model(body: ModelCreate, principal: Writer, svc: Svc, response: Response) -> ModelOut:
    """Add a model to the register (names are unique: 409 when taken)."""
    return ModelOut(**_create(svc, MODELS, body.model_dump(), principal, response))


@router.get("/v1/models")
def list_models(
    _: Reader,
    svc: Svc,
    params: Paging,
    name: NameFilter = None,
    provider: Annotated[str | None, Query(max_length=200, description="Models of this provider.")] = None,
    general_purpose: Annotated[
        Literal["yes", "no", "unknown"] | None, Query(description="General-purpose models, others, or not known.")
    ] = None,
    archived: bool = False,
) -> Page[ModelOut]:
    """The models, oldest first, filtered by name, provider and whether they are general-purpose; archived ones
    only on request."""
    query = select(AiModel).where(AiModel.archived == archived).order_by(AiModel.id)
    if name is not None:
        query = query.where(AiModel.name == name)
    if provider is not None:
        query = query.where(AiModel.provider == provider)
    if general_purpose is not None:
        value = YES_NO[general_purpose]
        query = query.where(AiModel.general_purpose.is_(None) if value is None else AiModel.general_purpose == value)
    return _list(svc, query, params)


@router.get("/v1/models/{model_id}", responses=documented(404))
def read_model(model_id: ModelId, _: Reader, svc: Svc, response: Response) -> ModelOut:
    """One model, with its ETag (send it back as If-Match to change the model)."""
    return ModelOut(**_read(svc, MODELS, model_id, response))


@router.patch("/v1/models/{model_id}", responses=CHANGE_RESPONSES)
def update_model(
    model_id: ModelId, body: ModelUpdate, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> ModelOut:
    """Change some of a model's fields (general_purpose null: not known); refused (412) if it changed since the
    ETag in If-Match. The systems resting on it show the new name at once."""
    changes = _given(body.model_dump(exclude_unset=True), nullable="general_purpose")
    return ModelOut(**_change(svc, MODELS, model_id, if_match, principal, response, changes, "update"))


@router.post("/v1/models/{model_id}/archive", responses=ARCHIVE_RESPONSES)
def archive_model(
    model_id: ModelId, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> ModelOut:
    """Archive a model: it leaves the lists and cannot be newly linked; the systems linked to it keep the link."""
    changes = {"archived": True}
    return ModelOut(**_change(svc, MODELS, model_id, if_match, principal, response, changes, "archive"))


@router.get("/v1/models/{model_id}/systems", responses=documented(404))
def model_systems(model_id: ModelId, _: Reader, svc: Svc, params: Paging, archived: bool = False) -> Page[SystemOut]:
    """The systems resting on the model, oldest first (archived systems only on request)."""
    return _systems(svc, MODELS, model_id, params, archived)


@router.post("/v1/vendors", status_code=201, responses=CREATE_RESPONSES)
def create_vendor(body: VendorCreate, principal: Writer, svc: Svc, response: Response) -> VendorOut:
    """Add a vendor to the register (names are unique: 409 when taken)."""
    return VendorOut(**_create(svc, VENDORS, body.model_dump(), principal, response))


@router.get("/v1/vendors")
def list_vendors(
    _: Reader, svc: Svc, params: Paging, name: NameFilter = None, archived: bool = False
) -> Page[VendorOut]:
    """The vendors, oldest first, filtered by name; archived ones only on request."""
    query = select(Vendor).where(Vendor.archived == archived).order_by(Vendor.id)
    if name is not None:
        query = query.where(Vendor.name == name)
    return _list(svc, query, params)


@router.get("/v1/vendors/{vendor_id}", responses=documented(404))
def read_vendor(vendor_id: VendorId, _: Reader, svc: Svc, response: Response) -> VendorOut:
    """One vendor, with its ETag (send it back as If-Match to change the vendor)."""
    return VendorOut(**_read(svc, VENDORS, vendor_id, response))


@router.patch("/v1/vendors/{vendor_id}", responses=CHANGE_RESPONSES)
def update_vendor(
    vendor_id: VendorId, body: VendorUpdate, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> VendorOut:
    """Change some of a vendor's fields; refused (412) if it changed since the ETag in If-Match."""
    changes = _given(body.model_dump(exclude_unset=True))
    return VendorOut(**_change(svc, VENDORS, vendor_id, if_match, principal, response, changes, "update"))


@router.post("/v1/vendors/{vendor_id}/archive", responses=ARCHIVE_RESPONSES)
def archive_vendor(
    vendor_id: VendorId, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> VendorOut:
    """Archive a vendor: it leaves the lists and cannot be newly linked; the systems linked to it keep the link."""
    changes = {"archived": True}
    return VendorOut(**_change(svc, VENDORS, vendor_id, if_match, principal, response, changes, "archive"))


@router.get("/v1/vendors/{vendor_id}/systems", responses=documented(404))
def vendor_systems(vendor_id: VendorId, _: Reader, svc: Svc, params: Paging, archived: bool = False) -> Page[SystemOut]:
    """The systems of the vendor, oldest first (archived systems only on request)."""
    return _systems(svc, VENDORS, vendor_id, params, archived)


def _given(values: dict[str, Any], nullable: str | None = None) -> dict[str, Any]:
    """The fields a change sets: null leaves a field as it is, except the one field where null means unknown."""
    return {key: value for key, value in values.items() if value is not None or key == nullable}


def _create(svc: Service, kind: Kind, values: dict[str, Any], principal: Principal, response: Response) -> dict:
    stamp = now()
    try:
        with svc.database.write() as session:
            check_name_free(session, kind, values["name"])
            row = kind.record(**values, archived=False, version=1, created_at=stamp, updated_at=stamp)
            session.add(row)
            session.flush()
            out = record_json(row)
            audit.append(session, principal.actor, f"{kind.noun}.create", f"{kind.noun}:{row.id}", out)
    except IntegrityError:  # PostgreSQL: another writer may have taken the name between the check and the insert
        _raise_if_taken(svc, kind, values["name"])
        raise
    response.headers["ETag"] = etag(row)
    response.headers["Location"] = f"/v1/{kind.plural}/{row.id}"
    return out


def _raise_if_taken(svc: Service, kind: Kind, name: str, record_id: int | None = None) -> None:
    """409 when the name is now another record's; otherwise the integrity error was something else (re-raised)."""
    with svc.database.read() as session:
        check_name_free(session, kind, name, record_id)


def _read(svc: Service, kind: Kind, record_id: int, response: Response) -> dict:
    with svc.database.read() as session:
        row = get_record(session, kind, record_id)
    response.headers["ETag"] = etag(row)
    return record_json(row)


def _change(
    svc: Service,
    kind: Kind,
    record_id: int,
    if_match: str | None,
    principal: Principal,
    response: Response,
    changes: dict[str, Any],
    action: str,
) -> dict:
    try:
        with svc.database.write() as session:
            row = get_record(session, kind, record_id)
            version = expect_version(kind, if_match, row)
            if "name" in changes:
                check_name_free(session, kind, changes["name"], row.id)
            row = bump(session, kind, row, version, changes)
            out = record_json(row)
            data = {"changes": changes, **out}
            audit.append(session, principal.actor, f"{kind.noun}.{action}", f"{kind.noun}:{row.id}", data)
    except IntegrityError:  # PostgreSQL: another writer may have taken the name between the check and the update
        if "name" in changes:
            _raise_if_taken(svc, kind, changes["name"], record_id)
        raise
    response.headers["ETag"] = etag(row)
    return out


def _list(svc: Service, query: Select, params: PageParams) -> dict:
    with svc.database.read() as session:
        rows, total = fetch(session, query, params)
        return page([record_json(row) for row in rows], total, params)


def _systems(svc: Service, kind: Kind, record_id: int, params: PageParams, archived: bool) -> dict:
    with svc.database.read() as session:
        get_record(session, kind, record_id)  # 404 for a record that does not exist, not an empty list
        query = select(System).where(resting_on(kind, record_id=record_id), System.archived == archived)
        rows, total = fetch(session, query.order_by(System.id), params)
        return page(systems_json(session, rows), total, params)
