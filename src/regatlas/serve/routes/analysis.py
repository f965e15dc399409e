"""Analysis of a system or a posted profile: the open questions ranked by look-ahead, the comparison across
jurisdictions (`regatlas compare -f json`) and the report (`regatlas report`, HTML or PDF)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from ...report.compare_report import comparison_json
from ..analysis import MEDIA_TYPES, attachment_name, comparison, posted_profile, questions_json, report_bytes
from ..analysis import system_profile as load_system_profile
from ..auth import READ, Principal, require
from ..context import Service, service
from ..pagination import PageParams, page, page_params
from ..problems import RESPONSES, documented
from ..schemas import Strict
from .systems import SystemId

router = APIRouter(prefix="/v1", tags=["analysis"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Svc = Annotated[Service, Depends(service)]
Paged = Annotated[PageParams, Depends(page_params)]
AsOf = Annotated[dt.date | None, Query(description="The law of this day (default: today).")]
SYSTEM_RESPONSES = documented(404, 409)


class QuestionsIn(Strict):
    profile: dict[str, Any] = Field(description="A profile, as in a profile file (regatlas schema).")
    as_of: dt.date | None = Field(default=None, description="The law of this day (default: today).")


class QuestionsOut(BaseModel):
    """One page of the weighed questions, best first; the unweighed ones (numbers, dates, places) all at once."""

    as_of: str
    revision: str
    open_findings: int = Field(description="Shown findings whose outcome, or date, waits on unknown facts.")
    items: list[dict[str, Any]] = Field(description="Questions weighed by look-ahead, best first.")
    total: int
    limit: int
    offset: int
    next_offset: int | None
    unweighed: list[dict[str, Any]] = Field(description="Questions whose answers cannot be listed, with the reason.")


def _paged(ranking: dict[str, Any], params: PageParams) -> QuestionsOut:
    questions = ranking.pop("questions")
    chunk = questions[params.offset : params.offset + params.limit]
    return QuestionsOut(**ranking, **page(chunk, len(questions), params))


@router.get("/systems/{system_id}/questions", responses=SYSTEM_RESPONSES)
def system_questions(system_id: SystemId, _: Reader, svc: Svc, params: Paged, as_of: AsOf = None) -> QuestionsOut:
    """The system's open questions: its unknown facts ranked by how many open findings their answer settles,
    averaged over the possible answers (look-ahead), each with the findings it settles and their provisions."""
    profile = load_system_profile(svc, system_id)
    return _paged(questions_json(svc.pack, profile, as_of or dt.date.today(), "query.as_of"), params)


@router.post("/questions")
def profile_questions(body: QuestionsIn, _: Reader, svc: Svc, params: Paged) -> QuestionsOut:
    """The open questions of a posted profile (nothing is stored), ranked as for a system."""
    profile = posted_profile(svc.pack, body.profile)
    return _paged(questions_json(svc.pack, profile, body.as_of or dt.date.today(), "body.as_of"), params)


@router.get("/systems/{system_id}/compare", response_model=dict[str, Any], responses=SYSTEM_RESPONSES)
def system_compare(
    system_id: SystemId,
    _: Reader,
    svc: Svc,
    as_of: AsOf = None,
    include_unknown: Annotated[bool, Query(description="Also count duties whose outcome is still unknown.")] = False,
) -> Response:
    """What each jurisdiction demands of the system: the JSON of `regatlas compare -f json` for its profile."""
    profile = load_system_profile(svc, system_id)
    result = comparison_json(comparison(svc.pack, profile, as_of or dt.date.today(), "query.as_of", include_unknown))
    return Response(json.dumps(result, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


REPORT_CONTENT = {
    200: {
        "description": "The report, as a file to keep.",
        "content": {"text/html": {"schema": {"type": "string"}}, "application/pdf": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/systems/{system_id}/report", response_class=Response, responses={**REPORT_CONTENT, **documented(404, 409, 503)}
)
def system_report(
    system_id: SystemId,
    _: Reader,
    svc: Svc,
    format: Annotated[Literal["html", "pdf"], Query(description="html or pdf.")] = "html",
    as_of: AsOf = None,
    map: Annotated[
        str, Query(max_length=100, description="The instrument whose parties the world map shows.")
    ] = "intl_paris_2025",
) -> Response:
    """The report of `regatlas report` for the system's profile: assessment, comparison and pictures, one
    self-contained HTML document (no external requests) or its PDF."""
    profile = load_system_profile(svc, system_id)
    day = as_of or dt.date.today()
    content = report_bytes(svc.pack, profile, day, format, map)
    disposition = f'attachment; filename="{attachment_name(profile.name, system_id, day, format)}"'
    return Response(content, media_type=MEDIA_TYPES[format], headers={"Content-Disposition": disposition})
