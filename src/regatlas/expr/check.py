"""Name resolution and type checking of parsed expressions against the vocabulary and the pack.

Resolution turns `Name` nodes into Var (a fact), Param, RuleRef or AsOf, folds `date("...")` into
a date literal, and checks every operator's operand types, including enum literals against the
fact's allowed values, so a typo in a rule is caught when the pack loads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import nearest
from ..facts.vocabulary import Vocabulary
from .ir import And, AsOf, Call, Cmp, If, In, ListLit, Lit, Name, Node, Not, Or, Param, RuleRef, Var


@dataclass(frozen=True)
class Type:
    kind: str  # bool number date string enum set list
    values: frozenset[str] | None = None  # allowed values of enum/set facts; items of string lists
    item: str | None = None  # element kind of a list literal

    def __str__(self) -> str:
        return self.kind


BOOL, NUMBER, DATE, STRING = Type("bool"), Type("number"), Type("date"), Type("string")
FUNCTIONS = {
    "date": 'date("YYYY-MM-DD") -> a date literal',
    "within": 'within(jurisdictions_fact, "US-CA") -> any listed jurisdiction is, lies in, or belongs to it',
    "intersects": 'intersects(set_fact, ["a", "b"]) -> true if the set holds any of the listed values',
}


class CheckError(ValueError):
    def __init__(self, message: str, src: str, suggestion: str | None = None, allowed: list[str] | None = None):
        super().__init__(message)
        self.src = src
        self.suggestion = suggestion
        self.allowed = allowed or []


@dataclass
class Scope:
    """What names an expression may use."""

    vocabulary: Vocabulary
    params: dict[str, str]  # param id -> kind (number | date)
    rule_ids: set[str]
    known_rule: Callable[[str], bool] | None = None


def _fact_type(scope: Scope, name: str) -> Type:
    fact = scope.vocabulary[name]
    if fact.type in ("enum", "set"):
        return Type(fact.type, frozenset(fact.values))
    return Type(fact.type)


def resolve(node: Node, scope: Scope) -> tuple[Node, Type]:
    """Return the resolved node and its type, or raise CheckError."""
    if isinstance(node, Lit):
        kind = "bool" if isinstance(node.value, bool) else "number" if isinstance(node.value, int | float) else "string"
        if isinstance(node.value, dt.date):
            kind = "date"
        return node, Type(kind)
    if isinstance(node, ListLit):
        kinds = {resolve(item, scope)[1].kind for item in node.items}
        if len(kinds) > 1:
            raise CheckError("a list literal must hold values of one type", node.src)
        item_kind = kinds.pop() if kinds else "string"
        values = frozenset(str(i.value) for i in node.items) if item_kind == "string" else None
        return node, Type("list", values, item_kind)
    if isinstance(node, Name):
        return _resolve_name(node, scope)
    if isinstance(node, Call):
        return _resolve_call(node, scope)
    if isinstance(node, Not):
        item = _expect_bool(node.item, scope)
        return Not(item, node.src), BOOL
    if isinstance(node, And | Or):
        items = tuple(_expect_bool(i, scope) for i in node.items)
        return type(node)(items, node.src), BOOL
    if isinstance(node, Cmp):
        return _resolve_cmp(node, scope)
    if isinstance(node, In):
        return _resolve_in(node, scope)
    if isinstance(node, If):
        cond = _expect_bool(node.cond, scope)
        then, then_type = resolve(node.then, scope)
        other, other_type = resolve(node.other, scope)
        if then_type.kind != other_type.kind:
            raise CheckError(f"both branches of '?:' must have one type, got {then_type} and {other_type}", node.src)
        return If(cond, then, other, node.src), then_type
    raise CheckError(f"unsupported expression {node!r}", getattr(node, "src", ""))


def _expect_bool(node: Node, scope: Scope) -> Node:
    resolved, kind = resolve(node, scope)
    if kind.kind != "bool":
        raise CheckError(f"expected a true/false condition but '{node.src}' is a {kind}", node.src)
    return resolved


def _resolve_name(node: Name, scope: Scope) -> tuple[Node, Type]:
    name = node.name
    if name == "as_of":
        return AsOf(node.src), DATE
    if name.startswith("param."):
        param = name[len("param.") :]
        if param not in scope.params:
            raise CheckError(f"unknown parameter '{param}'", node.src, nearest(param, scope.params), list(scope.params))
        return Param(param, node.src), Type(scope.params[param])
    if name in scope.vocabulary:
        return Var(name, node.src), _fact_type(scope, name)
    if name in scope.rule_ids:
        return RuleRef(name, node.src), BOOL
    candidates = [*scope.vocabulary.facts, *scope.rule_ids]
    what = "fact" if "." in name else "rule"
    raise CheckError(f"unknown {what} '{name}'", node.src, nearest(name, candidates))


def _resolve_call(node: Call, scope: Scope) -> tuple[Node, Type]:
    if node.fn == "date":
        if len(node.args) != 1 or not isinstance(node.args[0], Lit) or not isinstance(node.args[0].value, str):
            raise CheckError('date() takes one string literal: date("2025-08-02")', node.src)
        try:
            return Lit(dt.date.fromisoformat(node.args[0].value), node.src), DATE
        except ValueError:
            raise CheckError(f"bad date {node.args[0].value!r}: use YYYY-MM-DD", node.src) from None
    if node.fn == "intersects":
        if len(node.args) != 2:
            raise CheckError("intersects() takes a set fact and a list literal", node.src)
        collection, ctype = resolve(node.args[0], scope)
        listed, ltype = resolve(node.args[1], scope)
        if ctype.kind != "set" or ltype.kind != "list":
            raise CheckError("intersects() takes a set fact and a list literal", node.src)
        _check_values(ltype.values or frozenset(), ctype, node.src)
        return Call("intersects", (collection, listed), node.src), BOOL
    if node.fn == "within":
        return _resolve_within(node, scope)
    raise CheckError(f"unknown function '{node.fn}'", node.src, nearest(node.fn, FUNCTIONS), list(FUNCTIONS))


def _resolve_within(node: Call, scope: Scope) -> tuple[Node, Type]:
    usage = 'within() takes a jurisdictions fact and a code literal: within(territory.offered_in, "US-CA")'
    if len(node.args) != 2 or not isinstance(node.args[1], Lit) or not isinstance(node.args[1].value, str):
        raise CheckError(usage, node.src)
    collection, ctype = resolve(node.args[0], scope)
    if ctype.kind != "jurisdictions":
        raise CheckError(usage, node.src)
    code = node.args[1].value
    registry = scope.vocabulary.registry
    if registry is not None:
        canonical = registry.normalise(code)
        if canonical is None:
            problem = registry.unknown(code)
            raise CheckError(problem.message, node.src, problem.suggestion)
        code = canonical
    return Call("within", (collection, Lit(code, node.args[1].src)), node.src), BOOL


def _check_values(values: frozenset[str], target: Type, src: str) -> None:
    if target.values is None:
        return
    for value in sorted(values - target.values):
        raise CheckError(
            f"'{value}' is not an allowed value here", src, nearest(value, target.values), sorted(target.values)
        )


def _resolve_cmp(node: Cmp, scope: Scope) -> tuple[Node, Type]:
    left, ltype = resolve(node.left, scope)
    right, rtype = resolve(node.right, scope)
    kinds = {ltype.kind, rtype.kind}
    if node.op in ("<", "<=", ">", ">=") and not (kinds <= {"number"} or kinds <= {"date"}):
        raise CheckError(f"'{node.op}' compares two numbers or two dates, not {ltype} and {rtype}", node.src)
    if kinds == {"enum", "string"}:
        enum_type, literal = (ltype, right) if ltype.kind == "enum" else (rtype, left)
        _check_values(frozenset([str(literal.value)]), enum_type, node.src)  # type: ignore[union-attr]
    elif len(kinds) != 1 or kinds & {"set", "list"}:
        raise CheckError(f"cannot compare {ltype} with {rtype}", node.src)
    return Cmp(node.op, left, right, node.src), BOOL


def _resolve_in(node: In, scope: Scope) -> tuple[Node, Type]:
    item, itype = resolve(node.item, scope)
    collection, ctype = resolve(node.collection, scope)
    if ctype.kind == "set":
        if itype.kind != "string" or not isinstance(item, Lit):
            raise CheckError("'x in set_fact' needs a string literal on the left", node.src)
        _check_values(frozenset([str(item.value)]), ctype, node.src)
    elif ctype.kind == "list":
        if itype.kind == "enum":
            _check_values(ctype.values or frozenset(), itype, node.src)
        elif itype.kind != ctype.item and not (itype.kind == "number" and ctype.item == "number"):
            raise CheckError(f"cannot look for a {itype} in a list of {ctype.item}", node.src)
    else:
        raise CheckError("'in' needs a list literal or a set fact on the right", node.src)
    return In(item, collection, node.src), BOOL
