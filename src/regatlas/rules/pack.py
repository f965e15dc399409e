"""A loaded rule pack as the engines use it: instruments, rules with their compiled conditions, penalties.

Plain dataclasses over the records of rules/model.py: light to import and quick to read back from the cache
(rules/cache.py). Building one from files is rules/build.py's job; rules/loader.py decides which of the two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem, RegatlasError, nearest
from .model import InstrumentFile, Parameter, Penalty, PenaltyVersion, Rule, Version

if TYPE_CHECKING:
    from ..expr.ir import Node
    from ..facts.vocabulary import Vocabulary
    from ..jurisdictions.registry import Registry
    from .themes import Vocabularies


@dataclass
class CompiledVersion:
    version: Version
    when: Node
    applies_from: Node
    line: int | None


@dataclass
class LoadedRule:
    rule: Rule
    instrument_id: str
    versions: list[CompiledVersion]
    file: str
    line: int | None
    exceptions: list[str] = field(default_factory=list)  # ids of rules that override this one
    id: str = ""  # the rule's id, kept here because the hot path reads it for every rule
    citation_label: str = ""
    test_lines: list[int | None] = field(default_factory=list)  # line of each of the rule's test cases

    def __post_init__(self) -> None:
        self.id = self.rule.id

    @property
    def key(self) -> str:
        return f"{self.instrument_id}:{self.rule.id}"

    def version_at(self, as_of: dt.date) -> CompiledVersion | None:
        for compiled in self.versions:
            v = compiled.version
            if v.valid_from <= as_of and (v.valid_to is None or as_of <= v.valid_to):
                return compiled
        return None


@dataclass
class LoadedPenalty:
    penalty: Penalty
    lower_when: dict[int, Node | None]  # version index -> compiled condition

    def version_at(self, as_of: dt.date) -> tuple[PenaltyVersion, Node | None] | None:
        for i, v in enumerate(self.penalty.versions):
            if v.valid_from <= as_of and (v.valid_to is None or as_of <= v.valid_to):
                return v, self.lower_when[i]
        return None


@dataclass(eq=False)
class LoadedInstrument:
    meta: InstrumentFile
    folder: Path
    rules: dict[str, LoadedRule]
    penalties: dict[str, LoadedPenalty]
    registry: Registry | None = None

    @property
    def id(self) -> str:
        return self.meta.instrument.id

    @property
    def parameters(self) -> dict[str, Parameter]:
        return {p.id: p for p in self.meta.parameters}

    def param_at(self, param_id: str, as_of: dt.date) -> Any:
        for value in self.parameters[param_id].values:
            if value.valid_from <= as_of and (value.valid_to is None or as_of <= value.valid_to):
                return value.value
        return None


@dataclass
class Pack:
    root: Path
    vocabulary: Vocabulary
    instruments: dict[str, LoadedInstrument]
    revision: str
    registry: Registry
    vocabularies: Vocabularies

    def all_rules(self) -> list[LoadedRule]:
        return [r for inst in self.instruments.values() for r in inst.rules.values()]

    def find_rule(self, ref: str) -> LoadedRule:
        """Find by `instrument:rule` or a bare rule id; unknown names raise with a suggestion."""
        matches = [r for r in self.all_rules() if ref in (r.key, r.id)]
        if len(matches) == 1:
            return matches[0]
        keys = [r.key for r in self.all_rules()]
        if matches:
            raise RegatlasError(Problem(f"'{ref}' is ambiguous", allowed=[m.key for m in matches]))
        raise RegatlasError(
            Problem(f"unknown rule '{ref}'", suggestion=nearest(ref, keys + [r.id for r in self.all_rules()]))
        )
