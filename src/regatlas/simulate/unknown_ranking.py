"""How much of a simulation is left open by unknown facts, and which facts leave the most findings open.

The share is over every chunk; the ranking is counted on the first `UNKNOWN_SAMPLE` rows: per fact, the weight
of the systems where it is unknown while a finding that reads it (directly or through the rules it depends on)
is open.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from ..compile.polars_backend import touch_column
from .metrics import SHOWN_KINDS, open_
from .simulation import Simulation, weighted, weighted_sums

UNKNOWN_SAMPLE = 100_000  # rows used to rank the facts that leave findings open


def _facts_read(sim: Simulation) -> dict[str, set[str]]:
    """Finding key -> every fact its conclusion reads, through the rules and exceptions it depends on."""
    from ..expr.ir import RuleRef, Var, walk

    by_key = {r.key: r for r in sim.plan.rules}
    memo: dict[str, set[str]] = {}

    def reads(key: str) -> set[str]:
        if key not in memo:
            rule = by_key[key]
            memo[key] = set()
            facts = {n.name for n in walk(rule.when) if isinstance(n, Var)}
            for ref in [n.rule_id for n in walk(rule.when) if isinstance(n, RuleRef)] + list(rule.exceptions):
                facts |= reads(ref)
            memo[key] = facts
        return memo[key]

    return {key: reads(key) for key in by_key}


def _readers(sim: Simulation, shown: list) -> dict[str, list]:
    """Fact -> the shown findings that read it (directly or through the rules they depend on)."""
    readers: dict[str, list] = {}
    reads = _facts_read(sim)
    for r in shown:
        for fact in reads[r.key]:
            readers.setdefault(fact, []).append(r)
    return readers


def unknowns(sim: Simulation, top: int = 10) -> dict[str, Any]:
    shown = [r for r in sim.layout.rules if r.kind in SHOWN_KINDS]
    per_instrument: dict[str, int] = {}
    for r in shown:
        per_instrument[r.instrument_id] = per_instrument.get(r.instrument_id, 0) + 1
    assessed = weighted(
        pl.sum_horizontal([pl.col(touch_column(i)).cast(pl.Int32) * n for i, n in per_instrument.items()])
    )
    unknown = weighted(pl.sum_horizontal([open_(r.key, r.instrument_id).cast(pl.Int32) for r in shown]))
    totals = weighted_sums(sim, "unknown", {"assessed": assessed, "unknown": unknown})
    readers = _readers(sim, shown)
    if not sim.totals.final:
        sampled = sim.totals.extras.get("sampled", 0)
        if sampled < UNKNOWN_SAMPLE:  # the first UNKNOWN_SAMPLE rows, whatever the chunks
            counts, rows = _fact_counts(sim, shown, readers, UNKNOWN_SAMPLE - sampled)
            sim.totals.add("ranking", counts)
            sim.totals.extras["sampled"] = sampled + rows
        return {}
    counts = dict(sim.totals.sums.get("ranking", {}))
    sample_weight = counts.pop("__weight__", 0.0) or 1.0
    # weights summed in another order (chunks) differ in the last bits: round before breaking ties by name
    ranked = sorted(((f, v) for f, v in counts.items() if v > 0), key=lambda kv: (-round(kv[1], 6), kv[0]))[:top]
    return {
        "share": totals["unknown"] / totals["assessed"] if totals["assessed"] else 0.0,
        "top_facts": [
            {
                "fact": fact,
                "question": sim.pack.vocabulary[fact].question,
                "systems_share": value / sample_weight,
                "findings": len(readers[fact]),
            }
            for fact, value in ranked
        ],
        "sample_rows": sim.totals.extras.get("sampled", 0),
    }


def _fact_counts(sim: Simulation, shown: list, readers: dict[str, list], limit: int) -> tuple[dict, int]:
    """Per fact, the weight of the (first `limit`) systems where it is unknown while an open finding reads it."""
    sample = sim.table.head(limit)
    if sim.population is None or sample.height == 0:
        return {"__weight__": 0.0}, sample.height
    population = sim.population.head(limit)
    derived = {d.fact_id: d.source for d in sim.plan.derived}
    facts = list(readers)
    unknown_facts = []
    for fact in facts:
        if fact not in population.columns:
            unknown_facts.append(pl.lit(True).alias(fact))
        elif fact in derived and derived[fact] in population.columns:
            unknown_facts.append((pl.col(fact).is_null() & pl.col(derived[fact]).is_null()).alias(fact))
        else:
            unknown_facts.append(pl.col(fact).is_null().alias(fact))
    # (rows x findings open) @ (findings x facts read) > 0: does an open finding read the fact, per row
    opened = sample.select([open_(r.key, r.instrument_id).fill_null(False).alias(r.key) for r in shown]).to_numpy()
    reads_matrix = np.zeros((len(shown), len(facts)), dtype=np.float32)
    column_of = {f: j for j, f in enumerate(facts)}
    for fact, rules in readers.items():
        for r in rules:
            reads_matrix[shown.index(r), column_of[fact]] = 1.0
    read_while_open = (opened.astype(np.float32) @ reads_matrix) > 0
    unknown = population.select(pl.col("weight"), *unknown_facts).drop("weight").to_numpy().astype(bool)
    weight = sample.get_column("weight").to_numpy()
    by_fact = weight @ (read_while_open & unknown)
    counts = {fact: float(by_fact[j]) for j, fact in enumerate(facts)}
    counts["__weight__"] = float(weight.sum())
    return counts, sample.height
