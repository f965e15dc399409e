"""Assessments: stateless (`POST /v1/assess`, a profile in, the CLI's JSON out) and stored per system.

A stored assessment has the shape of an OPA decision-log entry: decision_id, revision (the pack's), input (the
profile and the date), result (the CLI's JSON), requested_by, timestamp; plus the as-of date and the profile hash.
Storing one also brings the system's status to today (serve/followup.py), recording what the answers changed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy import select

from ...engine.assess import assess
from ...errors import RegatlasError
from ...facts.profile import profile_from_data
from ...report.json_report import assessment_json, compact_json
from .. import audit
from ..analysis import assessed, dated
from ..auth import READ, WRITE, Principal, require
from ..context import Service, service
from ..db import now
from ..followup import follow
from ..inventory import facts_at, get_system, profile_hash, stored_profile
from ..models import AssessmentRecord
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, ApiProblem, FieldError, documented, from_regatlas
from ..schemas import AssessIn, AssessmentRecordOut, SystemAssessIn
from .systems import SystemId

router = APIRouter(prefix="/v1", tags=["assessments"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
RecordId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.post("/assess", response_model=dict[str, Any])
async def assess_profile(body: AssessIn, _: Reader, svc: Svc) -> Response:
    """Assess a profile (nothing is stored): the same JSON as `regatlas assess -f json`."""
    # Async on purpose: a few milliseconds of pure CPU without I/O, run on the event loop. In a worker thread
    # it would cost a hop and then contend for the GIL with the loop; worker processes (--workers) use the cores.
    try:
        profile = profile_from_data(body.profile, svc.pack.vocabulary, "body.profile")
    except RegatlasError as exc:
        raise from_regatlas(exc, "body.profile") from None
    result = assessment_json(assessed(svc.pack, profile, body.as_of or dt.date.today(), "body.as_of"), body.trace)
    # Already JSON-ready: serialised directly, as FastAPI's generic encoder would take longer than the assessment.
    return Response(compact_json(result), media_type="application/json")


@router.post("/systems/{system_id}/assessments", status_code=201, responses=documented(404, 409))
def assess_system(system_id: SystemId, body: SystemAssessIn, principal: Writer, svc: Svc) -> AssessmentRecordOut:
    """Assess the system's current profile on a date and store the decision."""
    as_of = body.as_of or dt.date.today()
    with svc.database.read() as session:
        system = get_system(session, system_id)
        facts = facts_at(session, system_id, version=system.version)
    profile = stored_profile(svc.pack, system.name, facts)
    with dated("body.as_of", "answers", 409):  # stored answers that contradict each other: a conflict, as a 409
        result = assessment_json(assess(svc.pack, profile, as_of))
    record = AssessmentRecord(
        system_id=system_id,
        decision_id=result["decision_id"],
        pack_revision=svc.pack.revision,
        as_of=as_of.isoformat(),
        profile_hash=profile_hash(facts),
        system_version=system.version,
        input=json.dumps({"system_id": system_id, "as_of": as_of.isoformat(), "profile": facts}),
        result=json.dumps(result),
        requested_by=principal.actor,
        timestamp=now(),
    )
    with svc.database.write() as session:
        session.add(record)
        session.flush()
        # The system's status follows too (serve/followup.py): what the new answers changed is recorded now,
        # as transitions with cause "answers", in the same transaction and under the follow-up's lock.
        followed = follow(
            session,
            svc.pack,
            get_system(session, system_id),
            dt.date.today(),
            principal.actor,
            record.id,
            audited=False,
        )
        summary = _record_json(record, full=False)
        transitions = len(followed.transitions) if followed else 0
        audit.append(
            session, principal.actor, "assessment", f"system:{system_id}", summary | {"transitions": transitions}
        )
    return AssessmentRecordOut(**_record_json(record, full=True))


@router.get("/systems/{system_id}/assessments", responses=documented(404))
def assessment_history(
    system_id: SystemId, _: Reader, svc: Svc, params: Annotated[PageParams, Depends(page_params)]
) -> Page[AssessmentRecordOut]:
    """The system's stored assessments, newest first (without input and result: read one for them)."""
    query = select(AssessmentRecord).where(AssessmentRecord.system_id == system_id)
    with svc.database.read() as session:
        get_system(session, system_id)
        rows, total = fetch(session, query.order_by(AssessmentRecord.id.desc()), params)
        return page([_record_json(r, full=False) for r in rows], total, params)


@router.get("/systems/{system_id}/assessments/{record_id}", responses=documented(404))
def read_assessment(system_id: SystemId, record_id: RecordId, _: Reader, svc: Svc) -> AssessmentRecordOut:
    """One stored assessment, with its input and result."""
    with svc.database.read() as session:
        record = session.get(AssessmentRecord, record_id)
    if record is None or record.system_id != system_id:
        raise ApiProblem(
            404,
            f"no assessment {record_id} of system {system_id}",
            [FieldError(field="path.record_id", message="not found")],
        )
    return AssessmentRecordOut(**_record_json(record, full=True))


def _record_json(record: AssessmentRecord, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id,
        "system_id": record.system_id,
        "decision_id": record.decision_id,
        "revision": record.pack_revision,
        "as_of": record.as_of,
        "profile_hash": record.profile_hash,
        "system_version": record.system_version,
        "requested_by": record.requested_by,
        "timestamp": record.timestamp,
    }
    if full:
        out |= {"input": json.loads(record.input), "result": json.loads(record.result)}
    return out
