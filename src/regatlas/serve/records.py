"""Models and vendors: records of their own in the register, linked to the systems that rest on them.

A system names its models and vendors by name, and each name must be one the register holds (otherwise 422
naming `body.models[1]`, with the nearest name): a compliance team keeps one register, and a typo such as
"gpt-4o-mini " must not quietly become a second model that no review of the first one reaches. Records are
made through /v1/models and /v1/vendors; an archived record can no longer be newly linked (a system already
linked to it keeps the link, which is history).

Every change to a record moves its `version` on; the ETag is `"ID.VERSION"` and a change needs it in If-Match,
as for systems (428 without it, 412 when stale), checked and applied as one compare-and-set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..errors import nearest
from .db import now
from .models import AiModel, System, SystemModel, SystemVendor, Vendor
from .problems import ApiProblem, FieldError

Record = AiModel | Vendor


@dataclass(frozen=True)
class Kind:
    """One kind of record and how systems link to it."""

    noun: str  # "model": in messages, audit actions ("model.create") and targets ("model:3")
    plural: str  # "models": the URL, the system's field
    record: type[AiModel] | type[Vendor]
    link: type[SystemModel] | type[SystemVendor]
    link_column: str  # the link table's column holding the record's id

    @property
    def linked_id(self) -> InstrumentedAttribute[int]:
        return getattr(self.link, self.link_column)


MODELS = Kind("model", "models", AiModel, SystemModel, "model_id")
VENDORS = Kind("vendor", "vendors", Vendor, SystemVendor, "vendor_id")
KINDS = (MODELS, VENDORS)


def record_json(row: Record) -> dict[str, Any]:
    """Every column of the record, as stored."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def etag(row: Record) -> str:
    return f'"{row.id}.{row.version}"'


def get_record(session: Session, kind: Kind, record_id: int) -> Record:
    row = session.get(kind.record, record_id)
    if row is None:
        field = f"path.{kind.noun}_id"
        raise ApiProblem(404, f"no {kind.noun} {record_id}", [FieldError(field=field, message="not found")])
    return row


def expect_version(kind: Kind, if_match: str | None, row: Record) -> int:
    """The version the client read (from If-Match): required, and 412 when it is not the current one."""
    if not if_match:
        raise ApiProblem(
            428,
            f"send If-Match with the ETag of the {kind.noun} as you read it (changes are refused without it)",
            [FieldError(field="header.If-Match", message="missing")],
        )
    if if_match.strip() not in (etag(row), "W/" + etag(row)):
        raise ApiProblem(
            412,
            f"the {kind.noun} changed since you read it: its ETag is now {etag(row)}",
            [FieldError(field="header.If-Match", message=f"stale: {if_match}")],
            headers={"ETag": etag(row)},
        )
    return row.version


def bump(session: Session, kind: Kind, row: Record, version: int, changes: dict[str, Any]) -> Record:
    """Apply the changes and move to the next version, if nobody else has since `version` (compare-and-set)."""
    values = {**changes, "version": version + 1, "updated_at": now()}
    table = kind.record
    done = session.execute(update(table).where(table.id == row.id, table.version == version).values(**values))
    if done.rowcount != 1:
        raise ApiProblem(
            412, f"the {kind.noun} changed since you read it", [FieldError(field="header.If-Match", message="stale")]
        )
    session.refresh(row)
    return row


def check_name_free(session: Session, kind: Kind, name: str, record_id: int | None = None) -> None:
    """Names are unique in the register: 409 naming body.name when another record has it."""
    other = session.execute(select(kind.record.id).where(kind.record.name == name)).scalar()
    if other is not None and other != record_id:
        raise name_taken(kind, name, other)


def name_taken(kind: Kind, name: str, other: int | None = None) -> ApiProblem:
    which = f" (id {other})" if other is not None else ""
    message = f"the register already has a {kind.noun} named {name!r}{which}"
    return ApiProblem(409, message, [FieldError(field="body.name", message="taken")])


def resolve(
    session: Session, kind: Kind, names: list[str], linked: set[int] | frozenset[int] = frozenset()
) -> list[int]:
    """The ids of the named records, in the order named, each once; 422 naming every name the register lacks
    (with the nearest name it holds) and every archived record not linked already."""
    table = kind.record
    rows = session.execute(select(table.name, table.id, table.archived).where(table.name.in_(set(names)))).all()
    found = {name: (record_id, archived) for name, record_id, archived in rows}
    errors = [_unusable(session, kind, i, name, found.get(name), linked) for i, name in enumerate(names)]
    errors = [error for error in errors if error is not None]
    if errors:
        detail = f"name {kind.plural} the register holds (add a new one with POST /v1/{kind.plural})"
        raise ApiProblem(422, detail, errors)
    return list(dict.fromkeys(found[name][0] for name in names))


def _unusable(
    session: Session,
    kind: Kind,
    index: int,
    name: str,
    found: tuple[int, bool] | None,
    linked: set[int] | frozenset[int],
) -> FieldError | None:
    field = f"body.{kind.plural}[{index}]"
    if found is None:
        suggestion = nearest(name, session.execute(select(kind.record.name)).scalars())
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        return FieldError(field=field, message=f"no {kind.noun} named {name!r} in the register{hint}")
    record_id, archived = found
    if archived and record_id not in linked:
        return FieldError(field=field, message=f"the {kind.noun} {name!r} is archived")
    return None


def linked_ids(session: Session, kind: Kind, system_id: int) -> set[int]:
    return set(session.execute(select(kind.linked_id).where(kind.link.system_id == system_id)).scalars())


def set_links(session: Session, kind: Kind, system_id: int, record_ids: list[int]) -> None:
    """Link the system to exactly these records (links to others are removed)."""
    current = linked_ids(session, kind, system_id)
    gone = current - set(record_ids)
    if gone:
        session.execute(delete(kind.link).where(kind.link.system_id == system_id, kind.linked_id.in_(gone)))
    new = [{"system_id": system_id, kind.link_column: i} for i in record_ids if i not in current]
    if new:
        session.execute(insert(kind.link), new)


def references(session: Session, system_ids: list[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """For each system: its models and vendors as [{id, name}], by name (one query per kind for any number)."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = {i: {kind.plural: [] for kind in KINDS} for i in system_ids}
    if not system_ids:
        return out
    for kind in KINDS:
        table = kind.record
        query = (
            select(kind.link.system_id, table.id, table.name)
            .join(table, table.id == kind.linked_id)
            .where(kind.link.system_id.in_(system_ids))
            .order_by(table.name, table.id)
        )
        for system_id, record_id, name in session.execute(query):
            out[system_id][kind.plural].append({"id": record_id, "name": name})
    return out


def resting_on(kind: Kind, record_id: int | None = None, name: str | None = None) -> ColumnElement[bool]:
    """A condition on systems: linked to the record with this id, or with this name (matched literally)."""
    query = select(kind.link.system_id).join(kind.record, kind.record.id == kind.linked_id)
    if record_id is not None:
        query = query.where(kind.linked_id == record_id)
    if name is not None:
        query = query.where(kind.record.name == name)
    return System.id.in_(query)
