"""JSON Schema (draft 2020-12) of profiles, generated from the fact vocabulary."""

from __future__ import annotations

from typing import Any

from .vocabulary import Fact, Vocabulary

_UNKNOWN = {"const": "unknown"}


def _fact_schema(fact: Fact) -> dict[str, Any]:
    base: dict[str, Any]
    if fact.type == "bool":
        base = {"type": "boolean"}
    elif fact.type == "number":
        base = {"type": "number"}
        if fact.minimum is not None:
            base["minimum"] = fact.minimum
    elif fact.type == "date":
        base = {"type": "string", "format": "date"}
    elif fact.type == "jurisdictions":
        base = {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3}){0,2}$"},
            "uniqueItems": True,
        }
    elif fact.type == "enum":
        base = {"enum": list(fact.values)}
    else:
        base = {"type": "array", "items": {"enum": list(fact.values)}, "uniqueItems": True}
    description = fact.question + (f"\n\n{fact.help}" if fact.help else "")
    return {"description": description, "anyOf": [base, _UNKNOWN, {"type": "null"}]}


def profile_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for fact in vocabulary.facts.values():
        group = groups.setdefault(fact.group, {"type": "object", "additionalProperties": False, "properties": {}})
        group["properties"][fact.id.split(".", 1)[1]] = _fact_schema(fact)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://regatlas.example/schema/profile.json",
        "title": "regatlas AI-system profile",
        "description": "Facts about one AI system and its operator. Any fact may be omitted, null or "
        "'unknown': all three mean the same thing. Lists are complete when given.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            **groups,
        },
    }
