"""The explaining evaluator: Kleene logic over the IR, returning values with a full trace.

Every node's value is recorded, so a report can say which conditions held with which fact
values, which exception overrode the rule, and which unknown facts would settle the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
        if isinstance(node, Var):
            return Trace(node.src, self.facts.get(node.name), "fact", ref=node.name)
        if isinstance(node, Lit):
            return Trace(node.src, node.value, "lit")  # type: ignore[arg-type]
        if isinstance(node, ListLit):
            return Trace(node.src, frozenset(i.value for i in node.items), "lit")
        if isinstance(node, RuleRef):
            return Trace(node.src, self.rule(node.rule_id).value, "rule", ref=node.rule_id)
        if isinstance(node, Param):
            return Trace(node.src, self.law.params[node.name], "param", ref=node.name)  # type: ignore[arg-type]
        if isinstance(node, AsOf):
            return Trace(node.src, self.law.as_of, "as_of")
        if isinstance(node, And | Or):
            kids = tuple(self.eval(i) for i in node.items)
            combine = kleene.and_ if isinstance(node, And) else kleene.or_
            return Trace(node.src, combine(k.value for k in kids), "and" if isinstance(node, And) else "or", kids)
        if isinstance(node, Not):
            kid = self.eval(node.item)
            return Trace(node.src, kleene.not_(kid.value), "not", (kid,))
        if isinstance(node, Cmp):
            left, right = self.eval(node.left), self.eval(node.right)
            return Trace(node.src, kleene.cmp(node.op, left.value, right.value), "cmp", (left, right))
        if isinstance(node, In):
            item, coll = self.eval(node.item), self.eval(node.collection)
            return Trace(node.src, kleene.contains(coll.value, item.value), "in", (item, coll))
        if isinstance(node, If):
            cond, then, other = self.eval(node.cond), self.eval(node.then), self.eval(node.other)
            return Trace(node.src, kleene.if_(cond.value, then.value, other.value), "if", (cond, then, other))
        if isinstance(node, Call):
            args = tuple(self.eval(a) for a in node.args)
            return Trace(node.src, kleene.intersects(args[0].value, args[1].value), "call", args)
        raise TypeError(f"cannot evaluate {node!r}")

    def run(self) -> dict[str, RuleResult]:
        for rule_id in self.law.instrument.rules:
            self.rule(rule_id)
        return self.results
