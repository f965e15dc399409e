"""The fact vocabulary: every typed input the rules may ask about, with its question and help.

The vocabulary is data (YAML files in packs/vocabulary/); this module loads and checks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import PackError, Problem
from ..jurisdictions.registry import Registry
from ..yamlio import LineMap, dotted, load_file

FactType = Literal["bool", "number", "enum", "set", "date", "jurisdictions"]
FACT_TYPES: tuple[str, ...] = ("bool", "number", "enum", "set", "date", "jurisdictions")
_FACT_KEYS = {"id", "type", "question", "help", "values", "unit", "cites", "minimum", "derive"}


@dataclass(frozen=True)
class Fact:
    id: str
    type: FactType
    question: str
    help: str = ""
    values: dict[str, str] = field(default_factory=dict)  # allowed value -> label (enum, set)
    unit: str | None = None
    minimum: float | None = None
    cites: tuple[str, ...] = ()
    derive_from: str | None = None  # a jurisdictions fact this yes/no fact follows from ...
    derive_within: str | None = None  # ... as "any listed jurisdiction lies within this one"
    file: str = ""
    line: int | None = None

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]

    def to_json(self) -> dict[str, object]:
        """The fact as `regatlas facts -f json` and the service's vocabulary show it."""
        derived = {"from": self.derive_from, "within": self.derive_within} if self.derive_from else None
        return {
            "id": self.id,
            "type": self.type,
            "unit": self.unit,
            "values": dict(self.values),
            "question": self.question,
            "help": self.help,
            "allowed": self.describe_allowed(),
            "minimum": self.minimum,
            "cites": list(self.cites),
            "derived_from": derived,
        }

    def describe_allowed(self) -> list[str]:
        if self.type in ("enum", "set"):
            return list(self.values)
        return {
            "bool": ["true", "false", "unknown"],
            "number": ["a number" + (f" in {self.unit}" if self.unit else ""), "unknown"],
            "date": ["a date YYYY-MM-DD", "unknown"],
            "jurisdictions": [
                "a list of jurisdiction codes (ISO 3166-1 such as DE, ISO 3166-2 such as US-CA, EU, US-NY-NYC)",
                "unknown",
            ],
        }[self.type]


@dataclass
class Vocabulary:
    facts: dict[str, Fact]
    sources: list[Path]
    registry: Registry | None = None  # set by the pack loader: validates jurisdiction codes

    def __contains__(self, fact_id: str) -> bool:
        return fact_id in self.facts

    def __getitem__(self, fact_id: str) -> Fact:
        return self.facts[fact_id]

    def groups(self) -> list[str]:
        return sorted({f.group for f in self.facts.values()})


def _fact_problems(raw: object, path: tuple, source: str, lines: LineMap) -> list[Problem]:
    def problem(message: str, sub: tuple = (), allowed: list[str] | None = None) -> Problem:
        full = (*path, *sub)
        return Problem(message, source, lines.line(full), dotted(full), allowed or [])

    if not isinstance(raw, dict):
        return [problem("each fact must be a mapping")]
    problems = [problem(f"unknown key '{k}'", (k,), sorted(_FACT_KEYS)) for k in raw if k not in _FACT_KEYS]
    fact_id = raw.get("id")
    if not isinstance(fact_id, str) or "." not in fact_id:
        problems.append(problem("id must be a dotted name such as system.is_ai_system", ("id",)))
    if raw.get("type") not in FACT_TYPES:
        problems.append(problem(f"bad type {raw.get('type')!r}", ("type",), list(FACT_TYPES)))
    if not isinstance(raw.get("question"), str) or not raw.get("question", "").strip():
        problems.append(problem("every fact needs a question text", ("question",)))
    if raw.get("type") in ("enum", "set"):
        values = raw.get("values")
        if not isinstance(values, dict) or not values:
            problems.append(problem("enum and set facts need 'values': a mapping value -> label", ("values",)))
    elif "values" in raw:
        problems.append(problem("only enum and set facts take 'values'", ("values",)))
    return problems


def load_vocabulary(folder: Path) -> Vocabulary:
    """Load every *.yaml file of a vocabulary folder; reject duplicates and malformed facts."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise PackError(Problem("no vocabulary files (*.yaml) found", file=str(folder)))
    facts: dict[str, Fact] = {}
    problems: list[Problem] = []
    for path in files:
        data, lines = load_file(path)
        if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
            problems.append(Problem("a vocabulary file must hold a 'facts:' list", str(path), 1))
            continue
        for i, raw in enumerate(data["facts"]):
            found = _fact_problems(raw, ("facts", i), str(path), lines)
            problems.extend(found)
            if found:
                continue
            line = lines.line(("facts", i))
            if raw["id"] in facts:
                other = facts[raw["id"]]
                problems.append(
                    Problem(f"fact '{raw['id']}' already defined at {other.file}:{other.line}", str(path), line)
                )
                continue
            facts[raw["id"]] = Fact(
                id=raw["id"],
                type=raw["type"],
                question=raw["question"].strip(),
                help=str(raw.get("help", "")).strip(),
                values={str(k): str(v) for k, v in (raw.get("values") or {}).items()},
                unit=raw.get("unit"),
                minimum=raw.get("minimum"),
                cites=tuple(raw.get("cites", ())),
                derive_from=(raw.get("derive") or {}).get("from"),
                derive_within=(raw.get("derive") or {}).get("within"),
                file=str(path),
                line=line,
            )
    problems += _derivation_problems(facts)
    if problems:
        raise PackError(problems)
    return Vocabulary(facts, files)


def _derivation_problems(facts: dict[str, Fact]) -> list[Problem]:
    problems = []
    for fact in facts.values():
        if fact.derive_from is None:
            continue
        source = facts.get(fact.derive_from)
        if fact.type != "bool" or source is None or source.type != "jurisdictions" or not fact.derive_within:
            problems.append(
                Problem(
                    "derive needs a bool fact, {from: <a jurisdictions fact>, within: <code>}",
                    fact.file,
                    fact.line,
                    f"{fact.id}.derive",
                )
            )
    return problems


def parse_date(text: object) -> dt.date | None:
    """Parse a YYYY-MM-DD date; None when it is not one."""
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
