"""The inventory's rules: systems, their answers as events, the profile as the sum of the answers.

Every fact and code is checked with the vocabulary through regatlas.facts.profile.profile_from_data, the one
definition of a profile; the service stores each answer in the encoding of Profile.to_json (sets as sorted lists,
dates as ISO strings), so folding the events gives back data that profile_from_data accepts unchanged.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import RegatlasError
from ..facts.profile import UNKNOWN, Profile, profile_from_data
from ..rules.pack import Pack
from .audit import canonical
from .db import now
from .models import AnswerEvent, System
from .problems import ApiProblem, FieldError, from_regatlas
from .records import references

LIFECYCLE = ("idea", "design", "development", "testing", "deployed", "retired")


def _checked(pack: Pack, fact: str, value: list[str], field: str) -> list[str]:
    """A list checked as the value of a vocabulary fact (roles, places), in canonical spelling and order."""
    try:
        profile = profile_from_data({fact: value}, pack.vocabulary, "body")
    except RegatlasError as exc:
        for problem in exc.problems:  # "operator.roles[2]" -> "roles[2]"
            problem.path = field + (problem.path or "")[len(fact) :]
        raise from_regatlas(exc, "body") from None
    return sorted(profile.facts.get(fact, ()))


def check_metadata(pack: Pack, values: dict[str, Any]) -> dict[str, Any]:
    """Roles as the vocabulary's operator roles and places as jurisdiction codes (canonical), JSON-encoded.
    (A system's models and vendors are links to records, checked against the register: serve/records.py.)"""
    out = dict(values)
    if "roles" in values:
        out["roles"] = json.dumps(_checked(pack, "operator.roles", values["roles"], "roles"))
    if "places" in values:
        out["places"] = json.dumps(_checked(pack, "territory.offered_in", values["places"], "places"))
    return out


def system_json(session: Session, system: System) -> dict[str, Any]:
    """The system as the API shows it, with its models and vendors as [{id, name}]."""
    return systems_json(session, [system])[0]


def systems_json(session: Session, systems: list[System]) -> list[dict[str, Any]]:
    """Several systems as the API shows them (their links read in one query per kind, not one per system)."""
    links = references(session, [system.id for system in systems])
    return [_system_fields(system, links[system.id]) for system in systems]


def _system_fields(system: System, links: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "id": system.id,
        "name": system.name,
        "owner": system.owner,
        "lifecycle": system.lifecycle,
        "roles": json.loads(system.roles),
        "places": json.loads(system.places),
        "models": links["models"],
        "vendors": links["vendors"],
        "description": system.description,
        "archived": system.archived,
        "version": system.version,
        "created_at": system.created_at,
        "updated_at": system.updated_at,
    }


def etag(system: System) -> str:
    return f'"{system.id}.{system.version}"'


def get_system(session: Session, system_id: int) -> System:
    system = session.get(System, system_id)
    if system is None:
        raise ApiProblem(404, f"no system {system_id}", [FieldError(field="path.system_id", message="not found")])
    return system


def expect_version(if_match: str | None, system: System) -> int:
    """The version the client read (from If-Match): required on every change, 412 when it is not the current one."""
    if not if_match:
        raise ApiProblem(
            428,
            "send If-Match with the ETag of the system as you read it (updates are refused without it)",
            [FieldError(field="header.If-Match", message="missing")],
        )
    if if_match.strip() not in (etag(system), "W/" + etag(system)):
        raise ApiProblem(
            412,
            f"the system changed since you read it: its ETag is now {etag(system)}",
            [FieldError(field="header.If-Match", message=f"stale: {if_match}")],
            headers={"ETag": etag(system)},
        )
    return system.version


def bump(session: Session, system: System, version: int, changes: dict[str, Any]) -> System:
    """Apply changes and move to the next version, if nobody else has since `version` (compare-and-set)."""
    values = {**changes, "version": version + 1, "updated_at": now()}
    done = session.execute(
        update(System).where(System.id == system.id, System.version == version).values(**values)
    ).rowcount
    if done != 1:
        raise ApiProblem(
            412, "the system changed since you read it", [FieldError(field="header.If-Match", message="stale")]
        )
    session.refresh(system)
    return system


def facts_at(session: Session, system_id: int, at: str | None = None, version: int | None = None) -> dict[str, Any]:
    """The system's answers folded in order (the last answer to each fact wins; null means unknown again)."""
    query = select(AnswerEvent.fact, AnswerEvent.new_value).where(AnswerEvent.system_id == system_id)
    if at is not None:
        query = query.where(AnswerEvent.at <= at)
    if version is not None:
        query = query.where(AnswerEvent.system_version <= version)
    facts: dict[str, Any] = {}
    for fact, value in session.execute(query.order_by(AnswerEvent.id)):
        decoded = json.loads(value)
        if decoded is None:
            facts.pop(fact, None)
        else:
            facts[fact] = decoded
    return dict(sorted(facts.items()))


def validated_answers(pack: Pack, answers: dict[str, Any]) -> dict[str, Any]:
    """Each answered fact -> its encoded value (None: unknown), after checking every one with the vocabulary."""
    undotted = [key for key in answers if "." not in key]
    if undotted:
        hint = "name the fact in full, e.g. system.is_ai_system"
        errors = [FieldError(field=f"body.answers.{key}", message=hint) for key in undotted]
        raise ApiProblem(422, "answers are keyed by full fact ids", errors)
    try:
        profile = profile_from_data(answers, pack.vocabulary, "body.answers")
    except RegatlasError as exc:
        raise from_regatlas(exc, "body.answers") from None
    encoded = profile.to_json()
    return {fact: encoded.get(fact) for fact, raw in answers.items() if raw is not None and raw != UNKNOWN} | {
        fact: None for fact, raw in answers.items() if raw is None or raw == UNKNOWN
    }


def record_answers(
    session: Session, system: System, changes: dict[str, Any], justification: str, actor: str
) -> list[AnswerEvent]:
    """One event per fact whose value changes (re-giving the same answer records nothing)."""
    current = facts_at(session, system.id)
    at, events = now(), []
    for fact, value in sorted(changes.items()):
        old = current.get(fact)
        if old == value:
            continue
        event = AnswerEvent(
            system_id=system.id,
            fact=fact,
            old_value=json.dumps(old),
            new_value=json.dumps(value),
            justification=justification,
            actor=actor,
            at=at,
            system_version=system.version,
        )
        session.add(event)
        events.append(event)
    session.flush()
    return events


def event_json(event: AnswerEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "fact": event.fact,
        "old_value": json.loads(event.old_value),
        "new_value": json.loads(event.new_value),
        "justification": event.justification,
        "actor": event.actor,
        "at": event.at,
        "system_version": event.system_version,
    }


def profile_of(pack: Pack, name: str, facts: dict[str, Any]) -> Profile:
    return profile_from_data({"name": name, **facts}, pack.vocabulary, f"inventory:{name}")


def stored_profile(pack: Pack, name: str, facts: dict[str, Any]) -> Profile:
    """The stored answers as a profile; answers the current vocabulary no longer accepts are a conflict (409)."""
    try:
        return profile_of(pack, name, facts)
    except RegatlasError as exc:
        problem = from_regatlas(exc, "answers")
        detail = "the system's stored answers do not match the current fact vocabulary: answer those facts again"
        raise ApiProblem(409, detail, problem.errors) from None


def profile_hash(facts: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(facts).encode()).hexdigest()
