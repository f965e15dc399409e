"""Profiles: the facts about one AI system and its operator, validated against the vocabulary.

A profile nests facts by group (`system: {is_ai_system: true}`) or names them in full
(`system.is_ai_system: true`). A fact that is absent, null or the string `unknown` is unknown;
there are no defaults.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, ProfileError, nearest
from ..jurisdictions.registry import Registry
from ..yamlio import LineMap, PathKey, dotted, load_file
from .vocabulary import Fact, Vocabulary, parse_date

FactValue = bool | float | str | dt.date | frozenset
META_KEYS = ("name", "description")
UNKNOWN = "unknown"


@dataclass
class Profile:
    name: str
    facts: dict[str, FactValue]
    description: str = ""
    source: str = "<profile>"
    metadata: dict[str, str] = field(default_factory=dict)

    def value(self, fact_id: str) -> FactValue | None:
        return self.facts.get(fact_id)

    def to_json(self) -> dict[str, Any]:
        """Facts as JSON-ready values (sets as sorted lists, dates as ISO strings)."""
        return {k: encode_value(v) for k, v in sorted(self.facts.items())}


def encode_value(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# A list of thousands of bad codes would bury the first ones: each fact reports at most this many items.
MAX_BAD_ITEMS = 20


@dataclass
class _Bad:
    """Why a raw value is refused; `index` is the list item at fault (None: the value as a whole)."""

    reason: str
    index: int | None = None
    suggestion: str | None = None


def _coerce(fact: Fact, raw: object, registry: Registry | None) -> tuple[FactValue | None, list[_Bad]]:
    """(value, []) when valid; (None, every problem) when not."""
    if fact.type == "jurisdictions":
        return _jurisdictions(raw, registry)
    if fact.type == "set":
        return _set(fact, raw)
    if fact.type == "enum":
        if isinstance(raw, str) and raw in fact.values:
            return raw, []
        suggestion = nearest(raw, fact.values) if isinstance(raw, str) else None
        return None, [_Bad(f"{raw!r} is not an allowed value", suggestion=suggestion)]
    value, reason = _scalar(fact, raw)
    return (value, []) if reason is None else (None, [_Bad(reason)])


def _scalar(fact: Fact, raw: object) -> tuple[FactValue | None, str | None]:
    if fact.type == "bool":
        return (raw, None) if isinstance(raw, bool) else (None, "expected true or false")
    if fact.type == "number":
        if isinstance(raw, bool):
            return None, "expected a number"
        try:
            number = float(raw) if isinstance(raw, int | float | str) else math.nan
        except (ValueError, OverflowError):  # OverflowError: an integer too large for a float
            number = math.nan
        if math.isnan(number) or math.isinf(number):
            return None, "expected a number (e.g. 3.2e25)"
        if fact.minimum is not None and number < fact.minimum:
            return None, f"must be at least {fact.minimum:g}"
        return number, None
    parsed = parse_date(raw)
    return (parsed, None) if parsed else (None, "expected a date YYYY-MM-DD")


def _set(fact: Fact, raw: object) -> tuple[FactValue | None, list[_Bad]]:
    if not isinstance(raw, list):
        return None, [_Bad("expected a list of values (give the complete list, or leave it unknown)")]
    bad = [
        _Bad(f"{item!r} is not an allowed value", i, nearest(item, fact.values) if isinstance(item, str) else None)
        for i, item in enumerate(raw)
        if not isinstance(item, str) or item not in fact.values
    ]
    return (None, bad) if bad else (frozenset(raw), [])


def _jurisdictions(raw: object, registry: Registry | None) -> tuple[FactValue | None, list[_Bad]]:
    if not isinstance(raw, list):
        return None, [_Bad("expected a list of jurisdiction codes (give the complete list, or leave it unknown)")]
    codes, bad = [], []
    for i, code in enumerate(raw):
        if not isinstance(code, str):
            bad.append(_Bad(f"{code!r} is not a jurisdiction code", i))
        elif registry is None:
            codes.append(code.upper())
        elif (canonical := registry.normalise(code)) is None:
            problem = registry.unknown(code)
            bad.append(_Bad(problem.message, i, problem.suggestion))
        else:
            codes.append(canonical)
    return (None, bad) if bad else (frozenset(codes), [])


def _flatten(data: dict[str, Any]) -> list[tuple[str, object, PathKey]]:
    """Yield (fact id, raw value, source path) for nested and dotted spellings alike."""
    out: list[tuple[str, object, PathKey]] = []
    for key, value in data.items():
        if key in META_KEYS:
            continue
        if "." in key or not isinstance(value, dict):
            out.append((key, value, (key,)))
            continue
        for sub, raw in value.items():
            out.append((f"{key}.{sub}", raw, (key, sub)))
    return out


def _problems(fact: Fact, bad: list[_Bad], path: PathKey, source: str, lines: LineMap) -> list[Problem]:
    """One problem per bad value or list item, each at its own path and line (a bad list reports its first items)."""
    out = []
    for b in bad[:MAX_BAD_ITEMS]:
        where = path if b.index is None else (*path, b.index)
        out.append(Problem(b.reason, source, lines.line(where), dotted(where), fact.describe_allowed(), b.suggestion))
    if len(bad) > MAX_BAD_ITEMS:
        more = f"{len(bad) - MAX_BAD_ITEMS} more items of this list are not allowed either"
        out.append(Problem(more, source, lines.line(path), dotted(path)))
    return out


def profile_from_data(data: object, vocabulary: Vocabulary, source: str, lines: LineMap | None = None) -> Profile:
    """Validate raw profile data; raise ProfileError listing every problem found."""
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise ProfileError(Problem("a profile must be a mapping of fact groups to facts", source, 1))
    problems: list[Problem] = []
    facts: dict[str, FactValue] = {}
    groups = set(vocabulary.groups())
    for fact_id, raw, path in _flatten(data):
        line = lines.line(path)
        if raw is None and fact_id in groups:
            continue  # a whole group left empty (`system:` or `system: null`): every fact of it is unknown
        if fact_id not in vocabulary:
            group = fact_id.split(".", 1)[0]
            in_group = [f for f in vocabulary.facts if f.startswith(group + ".")] or list(vocabulary.facts)
            problems.append(
                Problem(
                    "unknown fact",
                    source,
                    line,
                    fact_id,
                    suggestion=nearest(fact_id, vocabulary.facts),
                    allowed=in_group if len(in_group) <= 40 else [],
                )
            )
            continue
        if raw is None or raw == UNKNOWN:
            continue
        fact = vocabulary[fact_id]
        value, bad = _coerce(fact, raw, vocabulary.registry)
        problems += _problems(fact, bad, path, source, lines)
        if not bad:
            facts[fact_id] = value
    if problems:
        raise ProfileError(problems)
    name = str(data.get("name") or Path(source).stem)
    return Profile(name=name, facts=facts, description=str(data.get("description", "")).strip(), source=source)


def load_profile(path: Path, vocabulary: Vocabulary) -> Profile:
    data, lines = load_file(path)
    return profile_from_data(data, vocabulary, str(path), lines)
