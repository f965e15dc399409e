"""The answers worth weighing for a number or a date: one in each range the rules tell apart.

A number or a date has too many answers to list, but the rules only ever compare it with constants (a literal,
an instrument's parameter on the date, the as-of date): `model.training_compute_flop > param.threshold`. Every
answer between two neighbouring constants gives every comparison the same value, so one answer per range, and
each constant itself (where `<` and `<=` part), covers all the outcomes the rules can reach. Where a fact is used
in any other way, its ranges are not known and it is not weighed.
"""

from __future__ import annotations

import datetime as dt
import itertools

from ..expr.ir import AsOf, Cmp, Lit, Node, Param, Var, children
from ..facts.vocabulary import Fact
from ..rules.pack import Pack
from .assess import compiled_law

Constant = float | dt.date


def _constant(node: Node, params: dict[str, object], as_of: dt.date) -> object:
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Param):
        return params.get(node.name)
    if isinstance(node, AsOf):
        return as_of
    return None


def _compared_with(node: Node, fact_id: str, params: dict[str, object], as_of: dt.date, found: set) -> bool:
    """Collect the constants `fact_id` is compared with under `node`; False if it is used in any other way."""
    parts = children(node)
    for part in parts:
        if isinstance(part, Var) and part.name == fact_id:
            if not isinstance(node, Cmp):
                return False
            other = _constant(node.right if part is node.left else node.left, params, as_of)
            if isinstance(other, bool) or not isinstance(other, int | float | dt.date):
                return False
            found.add(other)
        elif not _compared_with(part, fact_id, params, as_of, found):
            return False
    return not (isinstance(node, Var) and node.name == fact_id)  # a bare fact as a whole condition


def comparisons(node: Node, fact_id: str, params: dict[str, object], as_of: dt.date) -> set | None:
    """The constants `fact_id` is compared with in one expression; None if it is used there in any other way."""
    found: set = set()
    return found if _compared_with(node, fact_id, params, as_of, found) else None


def constants(pack: Pack, fact_id: str, instrument_ids: list[str], as_of: dt.date) -> list[Constant] | None:
    """The constants the rules in force compare the fact with, sorted; None if any rule uses it otherwise."""
    found: set = set()
    for instrument_id in instrument_ids:
        law = compiled_law(pack.instruments[instrument_id], as_of).law
        for version in law.versions.values():
            for node in (version.when, version.applies_from):
                compared = comparisons(node, fact_id, law.params, as_of)
                if compared is None:
                    return None
                found |= compared
    return sorted(found)


def _numbers(points: list[float], minimum: float | None) -> list[float]:
    below = points[0] / 2 if points[0] > 0 else points[0] - 1
    above = points[-1] * 2 if points[-1] > 0 else points[-1] + 1
    between = [(a + b) / 2 for a, b in itertools.pairwise(points)]
    values = sorted({below, *points, *between, above})
    return [v for v in values if minimum is None or v >= minimum]


def _dates(points: list[dt.date]) -> list[dt.date]:
    day = dt.timedelta(days=1)
    values = {points[0] - day, points[-1] + day, *points}
    values |= {a + day for a, b in itertools.pairwise(points) if b - a > day}
    return sorted(values)


def range_answers(pack: Pack, fact: Fact, instrument_ids: list[str], as_of: dt.date) -> list | None:
    """One answer in each range the rules tell apart (and each constant), or None when they cannot be known."""
    if fact.type not in ("number", "date"):
        return None
    points = constants(pack, fact.id, instrument_ids, as_of)
    if not points:
        return None
    if fact.type == "date":
        dates = [p for p in points if isinstance(p, dt.date)]
        return _dates(dates) if len(dates) == len(points) else None
    numbers = [float(p) for p in points if not isinstance(p, dt.date)]
    return _numbers(numbers, fact.minimum) if len(numbers) == len(points) else None
