"""A compilation plan: the pack as of one date, reduced to what a vectorized backend must compute.

The plan is the single place where the scalar engine's semantics are fixed for whole populations, so every
backend (Polars, DuckDB, Spark SQL) only translates IR nodes:

- rule versions and parameter values are picked for the date and folded into constants (the data plane sees
  no dates to select, no parameter to look up);
- a reference to a rule not in force becomes the constant false (as in the scalar engine: a rule that is not
  law on the date concludes nothing);
- references between rules name the full finding key `instrument:rule`, and rules are grouped in levels so a
  backend computes a level only from facts and earlier levels;
- exceptions in force are listed per rule: conclusion = when AND NOT (E1 OR ... OR En), in Kleene logic;
- place containment (`within`, facts derived from place lists, which instruments a profile touches) is a
  coverage question answered once per distinct code on the date, never per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..engine.context import LawAsOf
from ..expr.ir import And, AsOf, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or, Param, RuleRef, Var, rules_in, walk
from ..rules.pack import LoadedInstrument, Pack
from ..rules.touch import PLACE_FACTS, UNION_FACTS, related
from . import fold


@dataclass(frozen=True)
class RulePlan:
    """One finding to compute: its condition and applies-from date with constants folded in."""

    key: str  # instrument:rule, the finding id used by `assess`
    instrument_id: str
    rule_id: str
    kind: str
    when: Node  # RuleRef.rule_id holds full keys here
    applies_from: Node
    exceptions: tuple[str, ...]  # keys of the exceptions in force that defeat this rule
    level: int  # 0: facts only; n: needs findings of levels < n


@dataclass(frozen=True)
class Derived:
    """A yes/no fact that follows from a place list: any listed code lies within `within` on the date."""

    fact_id: str
    source: str
    within: str


@dataclass(frozen=True)
class InstrumentPlan:
    id: str
    jurisdiction: str
    union_facts: tuple[str, ...]  # yes/no facts that alone make a profile touch it (EU placement)
    rules: tuple[RulePlan, ...]


@dataclass
class Plan:
    as_of: dt.date
    pack_revision: str
    instruments: tuple[InstrumentPlan, ...]
    derived: tuple[Derived, ...]
    place_facts: tuple[str, ...] = PLACE_FACTS
    registry: object = field(default=None, repr=False)

    @property
    def rules(self) -> list[RulePlan]:
        return [r for inst in self.instruments for r in inst.rules]

    def levels(self) -> list[list[RulePlan]]:
        """Rules grouped by dependency depth: each group depends only on facts and earlier groups."""
        grouped: dict[int, list[RulePlan]] = {}
        for rule in self.rules:
            grouped.setdefault(rule.level, []).append(rule)
        return [grouped[level] for level in sorted(grouped)]

    def targets(self) -> list[str]:
        """Every place a coverage question is asked about: within() targets, derivations, instrument places."""
        found = {d.within for d in self.derived} | {i.jurisdiction for i in self.instruments}
        for rule in self.rules:
            for node in (rule.when, rule.applies_from):
                found |= {t for _, t in within_calls(node)}
        return sorted(found)

    def related_codes(self, target: str, universe: Iterable[str]) -> list[str]:
        """The codes of the universe that overlap the target on the date (inside it or containing it).

        This is `within()`'s and `touches()`'s test: a system offered "in the US" is offered in US-CA.
        """
        return sorted(c for c in set(universe) if related(self.registry, c, target, self.as_of))

    def inside_codes(self, target: str, universe: Iterable[str]) -> list[str]:
        """The codes of the universe that lie within the target on the date (derivation's one-way test)."""
        return sorted(c for c in set(universe) if self.registry.within(c, target, self.as_of))

    def facts_used(self) -> set[str]:
        used = {d.source for d in self.derived} | {d.fact_id for d in self.derived} | set(self.place_facts)
        for inst in self.instruments:
            used |= set(inst.union_facts)
            for rule in inst.rules:
                used |= {n.name for n in walk(rule.when) if isinstance(n, Var)}
                used |= {n.name for n in walk(rule.applies_from) if isinstance(n, Var)}
        return used


def within_calls(node: Node) -> list[tuple[str, str]]:
    """(jurisdictions fact, target code) of every within() call in a tree."""
    return [
        (n.args[0].name, n.args[1].value)  # type: ignore[union-attr]
        for n in walk(node)
        if isinstance(n, Call) and n.fn == "within"
    ]


def _resolve(node: Node, law: LawAsOf, prefix: str) -> Node:
    """Parameters, the as-of date and rule references replaced by what they mean on the date."""
    if isinstance(node, Param):
        return Lit(law.params[node.name], node.src)
    if isinstance(node, AsOf):
        return Lit(law.as_of, node.src)
    if isinstance(node, RuleRef):
        if not law.in_force(node.rule_id):
            return Lit(False, node.src)
        return RuleRef(prefix + node.rule_id, node.src)
    if isinstance(node, And | Or):
        return type(node)(tuple(_resolve(i, law, prefix) for i in node.items), node.src)
    if isinstance(node, Not):
        return Not(_resolve(node.item, law, prefix), node.src)
    if isinstance(node, Cmp):
        return Cmp(node.op, _resolve(node.left, law, prefix), _resolve(node.right, law, prefix), node.src)
    if isinstance(node, In):
        return In(_resolve(node.item, law, prefix), _resolve(node.collection, law, prefix), node.src)
    if isinstance(node, If):
        parts = (_resolve(n, law, prefix) for n in (node.cond, node.then, node.other))
        return If(*parts, node.src)
    if isinstance(node, Call):
        return Call(node.fn, tuple(_resolve(a, law, prefix) for a in node.args), node.src)
    return node  # Var, Lit, ListLit


def _levels(rules: dict[str, tuple[Node, Node, tuple[str, ...]]]) -> dict[str, int]:
    """Dependency depth of every rule (the loader has already rejected cycles)."""
    depth: dict[str, int] = {}

    def visit(key: str) -> int:
        if key not in depth:
            when, applies, exceptions = rules[key]
            deps = rules_in(when) | rules_in(applies) | set(exceptions)
            depth[key] = 1 + max((visit(d) for d in deps), default=-1)
        return depth[key]

    for key in rules:
        visit(key)
    return depth


def _instrument_plan(instrument: LoadedInstrument, as_of: dt.date) -> InstrumentPlan | None:
    jurisdiction = instrument.meta.instrument.jurisdiction
    if jurisdiction == "INTL" or not instrument.rules:
        return None  # declarations and treaties bind states, not systems: `assess` never evaluates them
    law = LawAsOf.select(instrument, as_of)
    prefix = instrument.id + ":"
    resolved: dict[str, tuple[Node, Node, tuple[str, ...]]] = {}
    for rule_id, version in law.versions.items():
        exceptions = tuple(prefix + e for e in law.rule(rule_id).exceptions if law.in_force(e))
        when = fold.constants(_resolve(version.when, law, prefix))
        applies = fold.constants(_resolve(version.applies_from, law, prefix))
        resolved[prefix + rule_id] = (when, applies, exceptions)
    depth = _levels(resolved)
    rules = tuple(
        RulePlan(
            key=key,
            instrument_id=instrument.id,
            rule_id=key[len(prefix) :],
            kind=instrument.rules[key[len(prefix) :]].rule.kind,
            when=when,
            applies_from=applies,
            exceptions=exceptions,
            level=depth[key],
        )
        for key, (when, applies, exceptions) in resolved.items()
    )
    return InstrumentPlan(instrument.id, jurisdiction, UNION_FACTS.get(jurisdiction, ()), rules)


def build_plan(pack: Pack, as_of: dt.date) -> Plan:
    """The whole pack as of one date, ready for any backend."""
    instruments = tuple(p for inst in pack.instruments.values() if (p := _instrument_plan(inst, as_of)) is not None)
    derived = tuple(
        Derived(f.id, f.derive_from, f.derive_within)  # type: ignore[arg-type]
        for f in pack.vocabulary.facts.values()
        if f.derive_from is not None
    )
    return Plan(as_of, pack.revision, instruments, derived, registry=pack.registry)


__all__ = ["Derived", "InstrumentPlan", "ListLit", "Plan", "RulePlan", "build_plan", "within_calls"]
