"""IR of the condition language.

Every node keeps the source text it came from, so traces can quote the law-pack author's own
wording back to the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Value = bool | float | int | str | dt.date | frozenset | None  # None is "unknown"


@dataclass(frozen=True, slots=True)
class Lit:
    value: object
    src: str


@dataclass(frozen=True, slots=True)
class ListLit:
    items: tuple[Lit, ...]
    src: str


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier before resolution: a fact, a parameter, a rule or `as_of`."""

    name: str
    src: str
    pos: int


@dataclass(frozen=True, slots=True)
class Var:
    """A fact of the profile."""

    name: str
    src: str


@dataclass(frozen=True, slots=True)
class Param:
    """A dated parameter of the instrument (value picked as of the assessment date)."""

    name: str
    src: str


@dataclass(frozen=True, slots=True)
class RuleRef:
    """The conclusion of another rule of the same instrument."""

    rule_id: str
    src: str


@dataclass(frozen=True, slots=True)
class AsOf:
    src: str


@dataclass(frozen=True, slots=True)
class Cmp:
    op: str  # == != < <= > >=
    left: Node
    right: Node
    src: str


@dataclass(frozen=True, slots=True)
class In:
    """`item in collection`: a value in a list literal, or a literal in a set-valued fact."""

    item: Node
    collection: Node
    src: str


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]
    src: str


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]
    src: str


@dataclass(frozen=True, slots=True)
class Not:
    item: Node
    src: str


@dataclass(frozen=True, slots=True)
class If:
    cond: Node
    then: Node
    other: Node
    src: str


@dataclass(frozen=True, slots=True)
class Call:
    """A whitelisted function call; see FUNCTIONS in typecheck."""

    fn: str
    args: tuple[Node, ...]
    src: str


Node = Lit | ListLit | Name | Var | Param | RuleRef | AsOf | Cmp | In | And | Or | Not | If | Call


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of a node."""
    if isinstance(node, Cmp):
        return (node.left, node.right)
    if isinstance(node, In):
        return (node.item, node.collection)
    if isinstance(node, And | Or):
        return node.items
    if isinstance(node, Not):
        return (node.item,)
    if isinstance(node, If):
        return (node.cond, node.then, node.other)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node):
    """All nodes of a tree, depth first."""
    yield node
    for child in children(node):
        yield from walk(child)


def facts_in(node: Node) -> set[str]:
    return {n.name for n in walk(node) if isinstance(n, Var)}


def rules_in(node: Node) -> set[str]:
    return {n.rule_id for n in walk(node) if isinstance(n, RuleRef)}
