"""Constant folding in Kleene logic: what the date and the parameters already decide, no row needs to compute.

Folding never changes a value: `x and false` is false whatever x is, `x or true` is true, a comparison of two
constants is a constant. A constant unknown (a parameter with no value on the date) stays unknown.
"""

from __future__ import annotations

from ..engine import kleene
from ..expr.ir import And, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or


def _items(node: And | Or) -> Node:
    absorbing = isinstance(node, Or)  # true absorbs an Or, false an And
    kept: list[Node] = []
    for item in (constants(i) for i in node.items):
        if isinstance(item, Lit) and item.value is absorbing:
            return Lit(absorbing, node.src)
        if isinstance(item, Lit) and item.value is (not absorbing):
            continue  # the neutral element
        kept.append(item)
    if not kept:
        return Lit(not absorbing, node.src)
    if len(kept) == 1:
        return kept[0]
    return type(node)(tuple(kept), node.src)


def constants(node: Node) -> Node:
    """The same expression with every constant sub-expression replaced by its value."""
    if isinstance(node, And | Or):
        return _items(node)
    if isinstance(node, Not):
        item = constants(node.item)
        return Lit(kleene.not_(item.value), node.src) if isinstance(item, Lit) else Not(item, node.src)
    if isinstance(node, Cmp):
        left, right = constants(node.left), constants(node.right)
        if isinstance(left, Lit) and isinstance(right, Lit):
            return Lit(kleene.cmp(node.op, left.value, right.value), node.src)
        return Cmp(node.op, left, right, node.src)
    if isinstance(node, In):
        item, coll = constants(node.item), constants(node.collection)
        if isinstance(item, Lit) and isinstance(coll, ListLit):
            return Lit(kleene.contains(frozenset(i.value for i in coll.items), item.value), node.src)
        return In(item, coll, node.src)
    if isinstance(node, If):
        cond, then, other = constants(node.cond), constants(node.then), constants(node.other)
        if isinstance(cond, Lit):
            if cond.value is not None:
                return then if cond.value else other
            if isinstance(then, Lit) and isinstance(other, Lit):
                return Lit(kleene.if_(None, then.value, other.value), node.src)
        return If(cond, then, other, node.src)
    if isinstance(node, Call):
        return Call(node.fn, tuple(constants(a) for a in node.args), node.src)
    return node
