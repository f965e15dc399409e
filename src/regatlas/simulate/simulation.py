"""One simulated chunk of a population (`Simulation`) and the weighted sums it adds to (`Totals`).

A population is simulated a chunk of rows at a time; every figure of the summary is a ratio of weighted sums, so
each figure asks `weighted_sums` for its sums: while simulating, they are this chunk's (and are added to the
run's totals); once the run is `final`, they are the totals over every chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from ..compile.plan import Plan
from ..expr.ir import Lit
from ..rules.pack import Pack
from .metrics import Layout


@dataclass
class Totals:
    """Weighted sums added up chunk by chunk. Every summary figure is a ratio of such sums, so a population of
    any size is simulated a chunk at a time and summarised once at the end (`final`)."""

    sums: dict[str, dict[str, float]] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)  # computed once, on the first chunk
    rows: int = 0
    final: bool = False
    _seen: set[str] = field(default_factory=set)

    def begin_chunk(self, rows: int) -> None:
        self._seen = set()
        self.rows += rows

    def add(self, namespace: str, values: dict[str, float]) -> None:
        if namespace in self._seen:
            return  # a figure asked twice of one chunk counts once
        self._seen.add(namespace)
        found = self.sums.setdefault(namespace, {})
        for key, value in values.items():
            found[key] = found.get(key, 0.0) + value

    def add_array(self, name: str, value: np.ndarray) -> None:
        if name in self._seen:
            return
        self._seen.add(name)
        self.arrays[name] = self.arrays[name] + value if name in self.arrays else value


@dataclass
class Simulation:
    """Findings and per-system measures of one pack over one population on one date."""

    pack: Pack
    plan: Plan
    layout: Layout
    engine: str
    table: pl.DataFrame  # id, weight, touches, findings (Boolean), dates, measures
    seconds: dict[str, float] = field(default_factory=dict)
    population: pl.DataFrame | None = field(default=None, repr=False)
    totals: Totals = field(default_factory=Totals)

    @property
    def rows(self) -> int:
        return self.totals.rows if self.totals.final else self.table.height

    @cached_property
    def constant_dates(self) -> dict[str, object]:
        """Applies-from dates that are the same for every row (the plan folded them to constants)."""
        return {r.key: r.applies_from.value for r in self.plan.rules if isinstance(r.applies_from, Lit)}

    @property
    def total(self) -> float:
        return weighted_sums(self, "total", {"weight": pl.col("weight").sum()})["weight"]


def weighted(expr: pl.Expr) -> pl.Expr:
    """The weighted sum of a column: a yes/no counts the weight of the rows where it is yes."""
    return (pl.col("weight") * expr.cast(pl.Float64)).sum()


def frame_sums(frame: pl.DataFrame, exprs: dict[str, pl.Expr]) -> dict[str, float]:
    """The named sums over one table (0.0 for a sum over no rows)."""
    if not exprs:
        return {}
    row = frame.select([e.alias(name) for name, e in exprs.items()]).row(0, named=True)
    return {k: float(v or 0.0) for k, v in row.items()}


def weighted_sums(sim: Simulation, namespace: str, exprs: dict[str, pl.Expr]) -> dict[str, float]:
    """Weighted sums: of this chunk while simulating (added to the totals), of every chunk once final."""
    if sim.totals.final:
        return sim.totals.sums.get(namespace, {name: 0.0 for name in exprs})
    values = frame_sums(sim.table, exprs)
    sim.totals.add(namespace, values)
    return values
