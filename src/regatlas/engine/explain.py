"""The explaining evaluator: Kleene logic over the IR, returning values with a full trace.

Every node's value is recorded, so a report can say which conditions held with which fact
values, which exception overrode the rule, and which unknown facts would settle the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..expr.ir import And, AsOf, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or, Param, RuleRef, Var
from . import kleene
from .context import LawAsOf
from .kleene import Value


@dataclass(slots=True)
class Trace:
    src: str
    value: Value
    kind: str
    children: tuple[Trace, ...] = ()
    ref: str | None = None  # fact id, parameter id or rule id


@dataclass
class RuleResult:
    rule_id: str
    value: bool | None
    when: Trace | None  # None when the rule has no version in force
    exceptions: list[tuple[str, bool | None]] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    applies_from: Value = None
    applies_trace: Trace | None = None
    applies_missing: set[str] = field(default_factory=set)


class Explainer:
    """Evaluates every rule of one instrument for one profile, memoising rule conclusions."""

    def __init__(self, law: LawAsOf, facts: dict[str, Value]):
        self.law = law
        self.facts = facts
        self.results: dict[str, RuleResult] = {}

    def rule(self, rule_id: str) -> RuleResult:
        cached = self.results.get(rule_id)
        if cached is not None:
            return cached
        version = self.law.versions.get(rule_id)
        if version is None:
            # A rule that is not law on this date concludes nothing: it does not hold.
            result = RuleResult(rule_id, False, None)
            self.results[rule_id] = result
            return result
        when = self.eval(version.when)
        exceptions = [
            (eid, self.rule(eid).value) for eid in self.law.rule(rule_id).exceptions if self.law.in_force(eid)
        ]
        overridden = kleene.or_(v for _, v in exceptions)
        value = kleene.and_((when.value, kleene.not_(overridden)))
        result = RuleResult(rule_id, value, when, exceptions)
        if value is None:
            result.missing = self.missing(when) if when.value is None else set()
            for eid, evalue in exceptions:
                if evalue is None:
                    result.missing |= self.rule(eid).missing
        applies = self.eval(version.applies_from)
        result.applies_from = applies.value
        result.applies_trace = applies
        if applies.value is None:
            result.applies_missing = self.missing(applies)
        self.results[rule_id] = result
        return result

    def missing(self, trace: Trace) -> set[str]:
        """Unknown facts inside the undecided parts of a trace: the facts that would settle it."""
        if trace.value is not None:
            return set()
        if trace.kind == "fact":
            return {trace.ref}  # type: ignore[arg-type]
        if trace.kind == "rule":
            return set(self.rule(trace.ref).missing)  # type: ignore[arg-type]
        out: set[str] = set()
        for child in trace.children:
            out |= self.missing(child)
        return out

    def eval(self, node: Node) -> Trace:
        return self._dispatch[type(node)](self, node)

    def _var(self, node: Var) -> Trace:
        return Trace(node.src, self.facts.get(node.name), "fact", ref=node.name)

    def _lit(self, node: Lit) -> Trace:
        return Trace(node.src, node.value, "lit")  # type: ignore[arg-type]

    def _list(self, node: ListLit) -> Trace:
        return Trace(node.src, frozenset(i.value for i in node.items), "lit")

    def _rule_ref(self, node: RuleRef) -> Trace:
        return Trace(node.src, self.rule(node.rule_id).value, "rule", ref=node.rule_id)

    def _param(self, node: Param) -> Trace:
        return Trace(node.src, self.law.params[node.name], "param", ref=node.name)  # type: ignore[arg-type]

    def _as_of(self, node: AsOf) -> Trace:
        return Trace(node.src, self.law.as_of, "as_of")

    def _and(self, node: And) -> Trace:
        kids = tuple(self.eval(i) for i in node.items)
        return Trace(node.src, kleene.and_(k.value for k in kids), "and", kids)

    def _or(self, node: Or) -> Trace:
        kids = tuple(self.eval(i) for i in node.items)
        return Trace(node.src, kleene.or_(k.value for k in kids), "or", kids)

    def _not(self, node: Not) -> Trace:
        kid = self.eval(node.item)
        return Trace(node.src, kleene.not_(kid.value), "not", (kid,))

    def _cmp(self, node: Cmp) -> Trace:
        left, right = self.eval(node.left), self.eval(node.right)
        return Trace(node.src, kleene.cmp(node.op, left.value, right.value), "cmp", (left, right))

    def _in(self, node: In) -> Trace:
        item, coll = self.eval(node.item), self.eval(node.collection)
        return Trace(node.src, kleene.contains(coll.value, item.value), "in", (item, coll))

    def _if(self, node: If) -> Trace:
        cond, then, other = self.eval(node.cond), self.eval(node.then), self.eval(node.other)
        return Trace(node.src, kleene.if_(cond.value, then.value, other.value), "if", (cond, then, other))

    def _call(self, node: Call) -> Trace:
        args = tuple(self.eval(a) for a in node.args)
        if node.fn == "within":
            registry = self.law.instrument.registry
            value = kleene.within(args[0].value, args[1].value, registry, self.law.as_of)  # type: ignore[arg-type]
        else:
            value = kleene.intersects(args[0].value, args[1].value)
        return Trace(node.src, value, "call", args)

    _dispatch: ClassVar[dict[type, Callable[[Explainer, Any], Trace]]] = {
        Var: _var,
        Lit: _lit,
        ListLit: _list,
        RuleRef: _rule_ref,
        Param: _param,
        AsOf: _as_of,
        And: _and,
        Or: _or,
        Not: _not,
        Cmp: _cmp,
        In: _in,
        If: _if,
        Call: _call,
    }

    def run(self) -> dict[str, RuleResult]:
        for rule_id in self.law.instrument.rules:
            self.rule(rule_id)
        return self.results
