"""The system form (create and edit): what it offers, reading what was posted, and the service's errors put
back beside the fields they name.

The posted form becomes the API's own request (SystemCreate, SystemUpdate) and goes through the API's own
routes (routes/systems.py): the same checks, the same links to records, the same audit entries.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import FormData

from ..context import Service
from ..inventory import LIFECYCLE
from ..problems import ApiProblem
from ..records import KINDS

TEXT_FIELDS = ("name", "owner", "lifecycle", "description")
LIST_FIELDS = ("roles", "models", "vendors")


def options(svc: Service, values: dict[str, Any]) -> dict[str, Any]:
    """The choices the form offers: lifecycle stages, the vocabulary's operator roles, the register's records (and
    those the system links to already, archived ones too: unticked, a link would silently go)."""
    roles = svc.pack.vocabulary.facts["operator.roles"].values or {}
    with svc.database.read() as session:
        records = {
            kind.plural: list(
                session.scalars(
                    select(kind.record.name).where(kind.record.archived.is_(False)).order_by(kind.record.name)
                )
            )
            for kind in KINDS
        }
    records = {kind: sorted(set(names) | set(values.get(kind, []))) for kind, names in records.items()}
    return {"lifecycles": LIFECYCLE, "role_choices": roles, "record_choices": records}


def posted(form: FormData) -> dict[str, Any]:
    """The form's fields as the API's request: places typed as text, split on commas and spaces."""
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    values.update({name: [str(v) for v in form.getlist(name)] for name in LIST_FIELDS})
    values["places"] = [p for p in re.split(r"[\s,;]+", str(form.get("places", ""))) if p]
    return values


def field_of(path: str) -> str:
    """The form field an error names: "body.places[1]" -> "places", "roles[0]" -> "roles"."""
    path = path.removeprefix("body.")
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def invalid(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for e in exc.errors():
        errors.setdefault(str(e["loc"][0]) if e["loc"] else "form", []).append(e["msg"])
    return errors


def refused(exc: ApiProblem) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        errors.setdefault(field_of(e.field), []).append(e.message)
    return errors or {"form": [exc.detail]}
