"""Answers: each one an event (who, when, old and new value, why); the profile is their sum at any moment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from .. import audit
from ..auth import READ, WRITE, Principal, require
from ..context import Service, service
from ..inventory import (
    bump,
    etag,
    event_json,
    expect_version,
    facts_at,
    get_system,
    profile_hash,
    record_answers,
    validated_answers,
)
from ..models import AnswerEvent
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, documented
from ..schemas import AnswerEventOut, AnswersIn, ProfileOut
from .systems import CHANGE_RESPONSES, IfMatch, SystemId

router = APIRouter(prefix="/v1/systems/{system_id}", tags=["answers"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
Stamp = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$",
        description="A moment (UTC, e.g. 2026-12-02T08:00:00Z): the answers given until then.",
    ),
]


@router.post("/answers", responses=CHANGE_RESPONSES)
def answer(
    system_id: SystemId, body: AnswersIn, principal: Writer, svc: Svc, response: Response, if_match: IfMatch = None
) -> list[AnswerEventOut]:
    """Answer questions about the system (several facts at once); returns the events recorded."""
    changes = validated_answers(svc.pack, body.answers)
    with svc.database.write() as session:
        system = get_system(session, system_id)
        version = expect_version(if_match, system)
        system = bump(session, system, version, {})
        events = [event_json(e) for e in record_answers(session, system, changes, body.justification, principal.actor)]
        target = f"system:{system.id}"
        audit.append(session, principal.actor, "answers", target, {"version": system.version, "events": events})
    response.headers["ETag"] = etag(system)
    return [AnswerEventOut(**e) for e in events]


@router.get("/answers", responses=documented(404))
def answer_history(
    system_id: SystemId,
    _: Reader,
    svc: Svc,
    params: Annotated[PageParams, Depends(page_params)],
    fact: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[AnswerEventOut]:
    """Every answer given, oldest first (optionally those to one fact)."""
    query = select(AnswerEvent).where(AnswerEvent.system_id == system_id).order_by(AnswerEvent.id)
    if fact is not None:
        query = query.where(AnswerEvent.fact == fact)
    with svc.database.read() as session:
        get_system(session, system_id)
        rows, total = fetch(session, query, params)
        return page([event_json(r) for r in rows], total, params)


@router.get("/profile", responses=documented(404))
def profile(
    system_id: SystemId,
    _: Reader,
    svc: Svc,
    at: Stamp = None,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="The profile at this version.")] = None,
) -> ProfileOut:
    """The system's profile: now, as it stood at a moment, or at a version of the system."""
    with svc.database.read() as session:
        get_system(session, system_id)
        facts = facts_at(session, system_id, at=_fixed_width(at), version=version)
    return ProfileOut(system_id=system_id, version=version, at=at, facts=facts, profile_hash=profile_hash(facts))


def _fixed_width(at: str | None) -> str | None:
    """The stored form (microseconds, 27 characters) so that text comparison is time comparison."""
    if at is None:
        return None
    seconds, _, fraction = at[:-1].partition(".")
    return f"{seconds}.{(fraction or '').ljust(6, '0')}Z"
