"""Kleene's strong three-valued logic, with None standing for "unknown"."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable

Value = bool | float | int | str | dt.date | frozenset | None

CMP_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def and_(values: Iterable[Value]) -> bool | None:
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def or_(values: Iterable[Value]) -> bool | None:
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def not_(value: Value) -> bool | None:
    return None if value is None else not value


def cmp(op: str, left: Value, right: Value) -> bool | None:
    if left is None or right is None:
        return None
    return CMP_OPS[op](left, right)


def if_(cond: Value, then: Value, other: Value) -> Value:
    if cond is None:
        # Unknown condition: the result is still known when both branches agree.
        return then if then == other else None
    return then if cond else other


def contains(collection: Value, item: Value) -> bool | None:
    if collection is None or item is None:
        return None
    return item in collection  # type: ignore[operator]


def intersects(collection: Value, listed: Value) -> bool | None:
    if collection is None:
        return None
    return bool(collection & listed)  # type: ignore[operator]


def outcome(value: Value) -> str:
    """yes / no / unknown, the words findings use."""
    return "unknown" if value is None else ("yes" if value else "no")


def within(codes: Value, target: str, registry, day: dt.date) -> bool | None:
    """Does any listed place cover part of the target on that day?

    A listed place covers itself and every place inside it: a system offered in "US" is offered in US-TX, one
    offered in "EU" is offered in DE. So a code counts when it lies within the target or the target within it.
    """
    if codes is None:
        return None
    return any(
        registry.within(code, target, day) or registry.within(target, code, day)
        for code in codes  # type: ignore[union-attr]
    )
