"""Reference data of the pack: the fact vocabulary, the instruments with their rules' citations and dates, who is
party to which international instrument, and a jurisdiction's standing (`regatlas facts`, `instruments`,
`parties` and `jurisdiction`, as JSON). Read-only; lists are paginated like every list of the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from ...errors import Problem, nearest
from ...rules.model import BindingForce
from ...rules.pack import Pack
from ...world import queries as world
from ...world.status import STATUSES
from ..analysis import dated
from ..auth import READ, Principal, require
from ..context import Service, service
from ..pagination import Page, PageParams, page, page_params
from ..problems import RESPONSES, ApiProblem, FieldError, documented

router = APIRouter(prefix="/v1", tags=["reference"], responses=RESPONSES)
Reader = Annotated[Principal, Depends(require(READ))]
Svc = Annotated[Service, Depends(service)]
Paged = Annotated[PageParams, Depends(page_params)]
AsOf = Annotated[dt.date | None, Query(description="The state of the law on this day (default: today).")]
Undated = Annotated[
    bool,
    Query(description="Count participations whose date is unknown as holding on a past as_of date as well."),
]
Code = Annotated[str | None, Query(max_length=40, description="A jurisdiction code (DE, US-CA, EU, US-NY-NYC).")]
Status = Literal[STATUSES]  # type: ignore[valid-type]
FactType = Literal["bool", "number", "enum", "set", "date", "jurisdictions"]


class FactOut(BaseModel):
    id: str
    type: str
    unit: str | None
    values: dict[str, str]
    question: str
    help: str
    allowed: list[str]
    minimum: float | None
    cites: list[str]
    derived_from: dict[str, str | None] | None


class InstrumentOut(BaseModel):
    id: str
    title: str
    full_title: str
    jurisdiction: str
    binding_force: str
    binding_force_text: str
    kind: str
    status: str
    status_text: str
    rules: int
    parties: int
    confidence: str
    source: str


class VersionOut(BaseModel):
    valid_from: str
    valid_to: str | None
    applies_from: str
    act: str
    source_url: str


class RuleOut(BaseModel):
    id: str
    key: str
    title: str
    kind: str
    citation: str
    url: str
    addressee: list[str]
    status: str
    in_force: bool
    versions: list[VersionOut]


class StatusEventOut(BaseModel):
    event: str
    date: str
    act: str | None
    note: str | None


class InstrumentDetailOut(InstrumentOut):
    as_of: str
    status_events: list[StatusEventOut]
    rules_detail: list[RuleOut]


class PartyOut(BaseModel):
    instrument: str
    instrument_title: str
    party: str
    name: str
    kind: str
    participation: str
    date: str | None
    date_text: str
    confidence: str
    source: str | None
    note: str | None


def _code(pack: Pack, written: str | None, field: str) -> str | None:
    """A jurisdiction code in the registry's spelling; an unknown one is a 422 naming the field and the nearest."""
    if written is None:
        return None
    canonical = pack.registry.normalise(written)
    if canonical is None:
        problem = pack.registry.unknown(written, path=field)
        message = problem.message + (f" (did you mean '{problem.suggestion}'?)" if problem.suggestion else "")
        raise ApiProblem(
            422, "unknown jurisdiction code", [FieldError(field=field, message=message, allowed=problem.allowed)]
        )
    return canonical


def _not_found(field: str, what: str, ref: str, known: list[str]) -> ApiProblem:
    hint = nearest(ref, known)
    message = "not found" + (f" (did you mean '{hint}'?)" if hint else "")
    return ApiProblem(404, f"no {what} '{ref}'", [FieldError(field=field, message=message)])


@router.get("/vocabulary")
def list_vocabulary(
    _: Reader,
    svc: Svc,
    params: Paged,
    prefix: Annotated[str | None, Query(max_length=200, description="Facts whose id starts with this.")] = None,
    type: Annotated[FactType | None, Query(description="Only facts of this type.")] = None,
) -> Page[FactOut]:
    """The fact vocabulary, in id order: each fact's type, allowed values, question and help."""
    facts = sorted(svc.pack.vocabulary.facts.values(), key=lambda f: f.id)
    chosen = [f.to_json() for f in facts if f.id.startswith(prefix or "") and type in (None, f.type)]
    return page(chosen[params.offset : params.offset + params.limit], len(chosen), params)


@router.get("/vocabulary/{fact_id}", responses=documented(404))
def read_fact(
    fact_id: Annotated[str, Path(max_length=200, description="A fact id, e.g. system.is_ai_system.")],
    _: Reader,
    svc: Svc,
) -> FactOut:
    """One fact of the vocabulary."""
    facts = svc.pack.vocabulary.facts
    if fact_id not in facts:
        raise _not_found("path.fact_id", "fact", fact_id, list(facts))
    return FactOut(**facts[fact_id].to_json())


@router.get("/instruments")
def list_instruments(
    _: Reader,
    svc: Svc,
    params: Paged,
    jurisdiction: Code = None,
    force: Annotated[BindingForce | None, Query(description="Only instruments of this binding force.")] = None,
    status: Annotated[Status | None, Query(description="Only instruments with this status on the date.")] = None,
    as_of: AsOf = None,
) -> Page[InstrumentOut]:
    """The instruments (international ones first, then by jurisdiction): binding force, status on the date,
    number of rules and parties; `jurisdiction` keeps the place's, those of places inside it and those containing it."""
    day = as_of or dt.date.today()
    code = _code(svc.pack, jurisdiction, "query.jurisdiction")
    with dated("query.as_of"):
        rows = world.list_instruments(svc.pack, day, code, force, status)
    return page(rows[params.offset : params.offset + params.limit], len(rows), params)


@router.get("/instruments/{instrument_id}", responses=documented(404))
def read_instrument(
    instrument_id: Annotated[str, Path(max_length=100, description="An instrument id, e.g. eu_ai_act.")],
    _: Reader,
    svc: Svc,
    as_of: AsOf = None,
) -> InstrumentDetailOut:
    """One instrument: its status events, and each rule with its citation, kind, addressees and dated versions."""
    instruments = svc.pack.instruments
    if instrument_id not in instruments:
        raise _not_found("path.instrument_id", "instrument", instrument_id, list(instruments))
    day = as_of or dt.date.today()
    return InstrumentDetailOut(as_of=day.isoformat(), **world.instrument_detail(instruments[instrument_id], day))


def _party_rows(pack: Pack, instrument: str | None, day: dt.date, undated: bool) -> list[dict[str, Any]]:
    """Every recorded participation holding on the day, instrument by instrument (international ones first)."""
    if instrument is not None and instrument not in pack.instruments:
        raise ApiProblem(
            422,
            f"unknown instrument '{instrument}'",
            [FieldError(field="query.instrument", message="unknown instrument", allowed=sorted(pack.instruments)[:50])],
        )
    chosen = [pack.instruments[instrument]] if instrument else list(pack.instruments.values())
    rows = []
    for inst in sorted(chosen, key=lambda i: (i.meta.instrument.jurisdiction != "INTL", i.id)):
        if not inst.meta.instrument.parties:
            continue
        found = world.parties(pack, inst, day, None, undated, dt.date.today())
        title = inst.meta.instrument.short_title
        rows += [{"instrument": inst.id, "instrument_title": title, **row} for row in found["parties"]]
    return rows


@router.get("/parties")
def list_parties(
    _: Reader,
    svc: Svc,
    params: Paged,
    instrument: Annotated[str | None, Query(max_length=100, description="Only this instrument's parties.")] = None,
    party: Code = None,
    as_of: AsOf = None,
    undated: Undated = False,
) -> Page[PartyOut]:
    """Who is party to which instrument, how (signed, ratified, endorsed, declined, voted...), since when and how
    sure, as recorded on the date. `party` keeps that party's own entries; how a place takes part through a union
    it belongs to is in GET /v1/jurisdictions/{code}."""
    day = as_of or dt.date.today()
    code = _code(svc.pack, party, "query.party")
    with dated("query.as_of"):
        rows = _party_rows(svc.pack, instrument, day, undated)
    rows = [r for r in rows if code is None or r["party"] == code]
    return page(rows[params.offset : params.offset + params.limit], len(rows), params)


@router.get("/jurisdictions/{code}", response_model=dict[str, Any], responses=documented(404))
def read_jurisdiction(
    code: Annotated[str, Path(max_length=40, description="A jurisdiction code (GB, US-CA, CN, EU...).")],
    _: Reader,
    svc: Svc,
    as_of: AsOf = None,
    undated: Undated = False,
) -> dict[str, Any]:
    """What binds in a place on the date, and which international instruments it joined, declined, abstained on
    or is not recorded in (itself or through a union it belongs to): `regatlas jurisdiction CODE -f json`."""
    if svc.pack.registry.normalise(code) is None:
        problem: Problem = svc.pack.registry.unknown(code, path="path.code")
        raise ApiProblem(404, f"no jurisdiction '{code}'", [FieldError(field="path.code", message=problem.message)])
    with dated("query.as_of"):
        return world.jurisdiction_profile(svc.pack, code, as_of or dt.date.today(), undated, dt.date.today())
