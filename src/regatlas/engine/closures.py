"""The fast evaluator: IR compiled to Python closures, no trace. Same Kleene semantics.

It serves bulk work (and is checked row by row against the explaining evaluator in tests).
"""

from __future__ import annotations

from collections.abc import Callable

from ..expr.ir import And, AsOf, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or, Param, RuleRef, Var
from . import kleene
from .context import LawAsOf
from .kleene import Value

Env = tuple[dict[str, Value], dict[str, bool | None]]  # (facts, memo of rule conclusions)
Fn = Callable[[Env], Value]


class CompiledLaw:
    """All rules of one instrument, as of one date, as closures."""

    def __init__(self, law: LawAsOf):
        self.law = law
        self.when: dict[str, Fn] = {}
        self.applies: dict[str, Fn] = {}
        for rule_id, version in law.versions.items():
            self.when[rule_id] = self._compile(version.when)
            self.applies[rule_id] = self._compile(version.applies_from)
        self.exceptions = {rid: [e for e in law.rule(rid).exceptions if law.in_force(e)] for rid in law.versions}

    def conclusion(self, rule_id: str, env: Env) -> bool | None:
        memo = env[1]
        if rule_id in memo:
            return memo[rule_id]
        when = self.when.get(rule_id)
        if when is None:
            memo[rule_id] = False
            return False
        value = when(env)
        if value is not False and self.exceptions[rule_id]:
            overridden = kleene.or_(self.conclusion(e, env) for e in self.exceptions[rule_id])
            value = kleene.and_((value, kleene.not_(overridden)))
        memo[rule_id] = value  # type: ignore[assignment]
        return value  # type: ignore[return-value]

    def run(self, facts: dict[str, Value]) -> dict[str, tuple[bool | None, Value]]:
        """rule id -> (conclusion, applies_from) for every rule in force."""
        env: Env = (facts, {})
        return {rid: (self.conclusion(rid, env), self.applies[rid](env)) for rid in self.when}

    def _compile(self, node: Node) -> Fn:
        if isinstance(node, Var):
            name = node.name
            return lambda env: env[0].get(name)
        if isinstance(node, Lit):
            value = node.value
            return lambda env: value
        if isinstance(node, ListLit):
            items = frozenset(i.value for i in node.items)
            return lambda env: items
        if isinstance(node, Param):
            value = self.law.params[node.name]
            return lambda env: value
        if isinstance(node, AsOf):
            as_of = self.law.as_of
            return lambda env: as_of
        if isinstance(node, RuleRef):
            rid = node.rule_id
            return lambda env: self.conclusion(rid, env)
        if isinstance(node, And):
            fns = [self._compile(i) for i in node.items]
            return lambda env: kleene.and_(f(env) for f in fns)
        if isinstance(node, Or):
            fns = [self._compile(i) for i in node.items]
            return lambda env: kleene.or_(f(env) for f in fns)
        if isinstance(node, Not):
            fn = self._compile(node.item)
            return lambda env: kleene.not_(fn(env))
        if isinstance(node, Cmp):
            op, left, right = kleene.CMP_OPS[node.op], self._compile(node.left), self._compile(node.right)

            def compare(env: Env) -> bool | None:
                a, b = left(env), right(env)
                return None if a is None or b is None else op(a, b)

            return compare
        if isinstance(node, In):
            item, coll = self._compile(node.item), self._compile(node.collection)
            return lambda env: kleene.contains(coll(env), item(env))
        if isinstance(node, If):
            cond, then, other = self._compile(node.cond), self._compile(node.then), self._compile(node.other)
            return lambda env: kleene.if_(cond(env), then(env), other(env))
        if isinstance(node, Call):
            coll, listed = self._compile(node.args[0]), self._compile(node.args[1])
            if node.fn == "within":
                registry, day, target = self.law.instrument.registry, self.law.as_of, node.args[1].value
                return lambda env: kleene.within(coll(env), target, registry, day)  # type: ignore[arg-type]
            return lambda env: kleene.intersects(coll(env), listed(env))
        raise TypeError(f"cannot compile {node!r}")
