"""The law ahead and between dates for one system: its calendar of upcoming changes (JSON and iCalendar), its
assessment at any date, and the difference between two dates or two stored assessments (serve/lawdates.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from ...errors import RegatlasError
from ...facts.profile import Profile
from ..auth import READ, Principal, require
from ..context import Service, service
from ..ical import Event, calendar
from ..inventory import facts_at, get_system, stored_profile
from ..lawdates import assessed, compare, day_words, phrase, states, walk
from ..models import AssessmentRecord
from ..problems import RESPONSES, ApiProblem, FieldError, documented
from .systems import SystemId

router = APIRouter(prefix="/v1", tags=["calendar"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Svc = Annotated[Service, Depends(service)]
AsOf = Annotated[dt.date | None, Query(description="The date (YYYY-MM-DD); default today.")]
RecordQuery = Annotated[int | None, Query(ge=1, le=2**63 - 1, description="A stored assessment's id.")]
ICS = "text/calendar"


def _profile(svc: Service, system_id: int) -> tuple[str, Profile]:
    """The system's name and current profile (409 when the vocabulary no longer accepts its answers)."""
    with svc.database.read() as session:
        system = get_system(session, system_id)
        facts = facts_at(session, system_id, version=system.version)
    return system.name, stored_profile(svc.pack, system.name, facts)


def _at(svc: Service, profile: Profile, day: dt.date, name: str) -> dict[str, Any]:
    """The assessment JSON on a date; a date the engine cannot place (before the registry's records) is the
    query parameter's fault."""
    try:
        return assessed(svc.pack, profile, day)
    except RegatlasError as exc:
        message = exc.problems[0].message if exc.problems else "the date cannot be assessed"
        raise ApiProblem(422, message, [FieldError(field=f"query.{name}", message=message)]) from None


def _calendar(svc: Service, system_id: int, as_of: dt.date | None) -> tuple[str, dict[str, Any]]:
    name, profile = _profile(svc, system_id)
    day = as_of or dt.date.today()
    start = _at(svc, profile, day, "as_of")
    dates = [
        {
            "date": step.day.isoformat(),
            "changes": [
                change.json()
                | {"words": f"from {day_words(step.day)}: {change.label} {phrase(change.old, change.new)}"}
                for change in step.changes
            ],
        }
        for step in walk(svc.pack, profile, start, None)
    ]
    return name, {"system_id": system_id, "as_of": day.isoformat(), "pack_revision": svc.pack.revision, "dates": dates}


@router.get("/systems/{system_id}/calendar", responses=documented(404, 409))
def system_calendar(system_id: SystemId, _: Reader, svc: Svc, as_of: AsOf = None) -> dict[str, Any]:
    """The dates after `as_of` on which the law changes a finding of the system, each with what changes."""
    return _calendar(svc, system_id, as_of)[1]


@router.get(
    "/systems/{system_id}/calendar.ics",
    response_class=Response,
    responses=documented(404, 409) | {200: {"content": {ICS: {"schema": {"type": "string"}}}}},
)
def system_calendar_ics(system_id: SystemId, _: Reader, svc: Svc, as_of: AsOf = None) -> Response:
    """The same calendar as iCalendar (RFC 5545): one all-day event per date."""
    name, data = _calendar(svc, system_id, as_of)
    events = [
        Event(
            uid=f"regatlas-system-{system_id}-{entry['date']}@{data['pack_revision']}",
            day=dt.date.fromisoformat(entry["date"]),
            summary=f"{name}: {len(entry['changes'])} change(s) in the law",
            description="\n".join(change["words"] for change in entry["changes"]),
        )
        for entry in data["dates"]
    ]
    text = calendar(f"regatlas: {name}", events, dt.datetime.now(dt.UTC))
    headers = {"Content-Disposition": f'attachment; filename="system-{system_id}.ics"'}
    return Response(text, media_type=f"{ICS}; charset=utf-8", headers=headers)


@router.get("/systems/{system_id}/assessment", response_model=dict[str, Any], responses=documented(404, 409))
def assessment_at(system_id: SystemId, _: Reader, svc: Svc, as_of: AsOf = None) -> Response:
    """The system's current profile assessed on a date (nothing stored): the CLI's assessment JSON."""
    _, profile = _profile(svc, system_id)
    result = _at(svc, profile, as_of or dt.date.today(), "as_of")
    return Response(json.dumps(result, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


def _stored_result(svc: Service, system_id: int, record_id: int, field: str) -> dict[str, Any]:
    with svc.database.read() as session:
        record = session.get(AssessmentRecord, record_id)
    if record is None or record.system_id != system_id:
        raise ApiProblem(
            404, f"no assessment {record_id} of system {system_id}", [FieldError(field=field, message="not found")]
        )
    return {"record": record.id} | json.loads(record.result)


def _pair_error(given: list[str]) -> ApiProblem:
    message = "give from and to (two dates) or from_record and to_record (two stored assessments)"
    fields = given or ["from", "to"]
    return ApiProblem(422, message, [FieldError(field=f"query.{name}", message=message) for name in fields])


def _side(result: dict[str, Any]) -> dict[str, Any]:
    return {"as_of": result["as_of"], "pack_revision": result["pack_revision"], "record": result.get("record")}


@router.get("/systems/{system_id}/diff", responses=documented(404, 409))
def system_diff(
    system_id: SystemId,
    _: Reader,
    svc: Svc,
    from_: Annotated[dt.date | None, Query(alias="from", description="The first date.")] = None,
    to: Annotated[dt.date | None, Query(description="The second date.")] = None,
    from_record: RecordQuery = None,
    to_record: RecordQuery = None,
) -> dict[str, Any]:
    """Per finding, old -> new with its provision: the current profile on two dates, or two stored assessments
    (e.g. before and after a pack revision)."""
    dates, records = (from_, to), (from_record, to_record)
    given = [n for n, v in zip(("from", "to", "from_record", "to_record"), dates + records, strict=True) if v]
    if None not in dates and records == (None, None):
        _, profile = _profile(svc, system_id)
        old, new = _at(svc, profile, dates[0], "from"), _at(svc, profile, dates[1], "to")
    elif None not in records and dates == (None, None):
        old = _stored_result(svc, system_id, records[0], "query.from_record")
        new = _stored_result(svc, system_id, records[1], "query.to_record")
    else:
        raise _pair_error(given)
    changes = compare(states(old), states(new))
    return {
        "system_id": system_id,
        "from": _side(old),
        "to": _side(new),
        "changes": [change.json() | {"words": f"{change.label}: {change.old} -> {change.new}"} for change in changes],
    }
