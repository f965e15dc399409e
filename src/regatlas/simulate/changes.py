"""What a scenario changes against the law: finding states and their transitions, duties, effort, one sentence.

Like the summary, every figure is added up chunk by chunk: while simulating, the functions add this chunk's
counts to the scenario's totals (and return nothing); once the run is final they read the totals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from ..compile.polars_backend import applies_column, touch_column
from .metrics import held
from .simulation import Simulation, weighted, weighted_sums

STATES = ("yes", "pending", "no", "unknown", "n/a")  # pending: holds, but applies from a later date


def state_expr(sim: Simulation, key: str, instrument_id: str) -> pl.Expr:
    """The finding's state per row, as an index into STATES: yes (in effect on the date), pending (holds, applies
    from a later date), no, unknown, n/a (not assessed: not touched, or not in force)."""
    if key not in sim.table.columns:
        return pl.lit(4, dtype=pl.Int8)
    if applies_column(key) in sim.table.columns:
        applies = pl.col(applies_column(key))
    else:
        applies = pl.lit(sim.constant_dates[key], dtype=pl.Date)
    later = (applies > pl.lit(sim.plan.as_of)).fill_null(False)
    value = pl.col(key)
    return (
        pl.when(~pl.col(touch_column(instrument_id)))
        .then(4)
        .when(value.is_null())
        .then(3)
        .when(~value)
        .then(2)
        .when(later)
        .then(1)
        .otherwise(0)
        .cast(pl.Int8)
    )


def _states(sim: Simulation, keys: dict[str, str]) -> np.ndarray:
    # the weight column keeps the frame's height when every state is a constant (findings absent from the run)
    frame = sim.table.select(pl.col("weight"), *[state_expr(sim, k, i).alias(k) for k, i in keys.items()])
    return frame.drop("weight").to_numpy().astype(np.int8).reshape(sim.table.height, len(keys))


def _same(before: Simulation, after: Simulation, key: str, instrument_id: str) -> bool:
    """Is the finding's state the same for every system in both runs (cheap test on the raw columns)?"""
    columns = [key, touch_column(instrument_id), applies_column(key)]
    present = [c for c in columns if c in before.table.columns]
    if [c for c in columns if c in after.table.columns] != present or key not in present:
        return False
    if applies_column(key) not in present and before.constant_dates.get(key) != after.constant_dates.get(key):
        return False
    return all(before.table.get_column(c).equals(after.table.get_column(c)) for c in present)


def changed_keys(before: Simulation, after: Simulation) -> dict[str, str]:
    """Findings whose outcome, touch or date may differ for some system (the others cannot move)."""
    keys = {r.key: r.instrument_id for r in before.layout.rules} | {r.key: r.instrument_id for r in after.layout.rules}
    return {k: i for k, i in keys.items() if not _same(before, after, k, i)}


def record_states(sim: Simulation) -> None:
    """Per finding, the weight of the systems in each state: the diagonal of every transition matrix is what
    stays of it once the moves are counted (moves are only counted in the chunks where they happen)."""
    keys = {r.key: r.instrument_id for r in sim.layout.rules}
    states = _states(sim, keys)
    weight = sim.table.get_column("weight").to_numpy()
    for column, key in enumerate(keys):
        by_state = np.bincount(states[:, column], weights=weight, minlength=len(STATES))
        sim.totals.add_array(f"states:{key}", by_state)


def _count_transitions(before: Simulation, after: Simulation) -> None:
    """This chunk's weighted before x after state counts, added to the scenario's totals."""
    keys = changed_keys(before, after)
    b, a = _states(before, keys), _states(after, keys)
    weight = before.table.get_column("weight").to_numpy()
    size = len(STATES)
    for column in np.flatnonzero((b != a).any(axis=0)) if keys else []:
        codes = b[:, column].astype(np.int64) * size + a[:, column]
        counts = np.bincount(codes, weights=weight, minlength=size**2).reshape(size, size)
        after.totals.add_array(f"transition:{list(keys)[column]}", counts)


def transitions(before: Simulation, after: Simulation) -> dict[str, Any]:
    """Weighted before -> after state counts for every finding whose state changes for some system."""
    if not after.totals.final:
        _count_transitions(before, after)
        return {}
    matrices = []
    for name, counts in after.totals.arrays.items():
        if not name.startswith("transition:"):
            continue
        key = name.removeprefix("transition:")
        info = (after.layout if key in after.layout._by_key else before.layout).rule(key)
        counts = _with_diagonal(counts, before.totals.arrays.get(f"states:{key}"), before.total)
        matrix = {s: {t: float(counts[i, j]) for j, t in enumerate(STATES)} for i, s in enumerate(STATES)}
        moved = float(counts.sum() - np.trace(counts))
        matrices.append({"finding": key, "title": info.title, "kind": info.kind, "jurisdiction": info.jurisdiction,
                         "changed_systems": moved, "matrix": matrix})  # fmt: skip
    # rounded for the order only: sums over chunks differ in the last bits, ties must not flip
    matrices.sort(key=lambda m: (-round(m["changed_systems"], 3), m["finding"]))
    return {"states": list(STATES), "findings": matrices}


def _with_diagonal(moves: np.ndarray, before_states: np.ndarray | None, total: float) -> np.ndarray:
    """The full matrix from the counted cells and the weight in each state before (n/a for a new finding)."""
    if before_states is None:
        before_states = np.zeros(len(STATES))
        before_states[STATES.index("n/a")] = total
    full = moves.copy()
    np.fill_diagonal(full, 0.0)
    stays = before_states - full.sum(axis=1)
    np.fill_diagonal(full, np.where(np.abs(stays) < 1e-9 * max(total, 1.0), 0.0, stays))  # summation noise
    return full


def _count_duty_changes(before: Simulation, after: Simulation) -> None:
    keys = changed_keys(before, after)
    kinds = {r.key: r.kind for r in before.layout.rules} | {r.key: r.kind for r in after.layout.rules}

    def holds(sim: Simulation, key: str) -> np.ndarray:
        if key not in sim.table.columns:
            return np.zeros(sim.table.height, dtype=bool)
        return sim.table.select(held(key, keys[key])).to_series().to_numpy()

    added = np.zeros(before.table.height, dtype=np.int32)
    removed = np.zeros(before.table.height, dtype=np.int32)
    for key in (k for k in keys if kinds[k] == "obligation"):
        b, a = holds(before, key), holds(after, key)
        added += a & ~b
        removed += b & ~a
    weight = before.table.get_column("weight").to_numpy()
    sums = {"added": weight @ added, "removed": weight @ removed}
    sums |= {"any_added": weight @ (added > 0), "any_removed": weight @ (removed > 0)}
    after.totals.add("duties", {k: float(v) for k, v in sums.items()})


def duty_changes(before: Simulation, after: Simulation) -> dict[str, float]:
    """Obligations added and removed per system (weighted means), and the share of systems with any change."""
    if not after.totals.final:
        _count_duty_changes(before, after)
        return {}
    sums = after.totals.sums.get("duties", {"added": 0.0, "removed": 0.0, "any_added": 0.0, "any_removed": 0.0})
    total = before.total or 1.0
    return {
        "added_per_system": sums["added"] / total,
        "removed_per_system": sums["removed"] / total,
        "systems_with_added_share": sums["any_added"] / total,
        "systems_with_removed_share": sums["any_removed"] / total,
    }


def effort_changes(before: Simulation, after: Simulation) -> list[dict[str, Any]]:
    themes = sorted(set(before.layout.themes) | set(after.layout.themes))

    def per_theme(sim: Simulation) -> dict[str, float]:
        return weighted_sums(sim, "effort_themes", {t: weighted(pl.col(f"effort:{t}")) for t in sim.layout.themes})

    b, a = per_theme(before), per_theme(after)
    rows = [
        {
            "theme": t,
            "before_eur": b.get(t, 0.0),
            "after_eur": a.get(t, 0.0),
            "change_eur": a.get(t, 0.0) - b.get(t, 0.0),
        }
        for t in themes
    ]
    return sorted(rows, key=lambda r: (-round(abs(r["change_eur"]), 3), r["theme"]))


def answer(before: dict, after: dict, duties: dict) -> str:
    """One sentence that states what the numbers say (the README quotes it for the bundled population)."""
    fb, fa = before["fragmentation"], after["fragmentation"]
    eb, ea = fb["effort_eur_per_system"], fa["effort_eur_per_system"]
    change = (ea - eb) / eb if eb else 0.0
    return (
        f"yearly compliance effort per system from the duties that hold {'falls' if change < 0 else 'rises'} "
        f"{abs(change):.0%} (EUR {eb:,.0f} -> {ea:,.0f}; unknown findings {before['unknown']['share']:.0%} -> "
        f"{after['unknown']['share']:.0%}); obligations in effect on {before['as_of']} per system "
        f"{fb['obligations_in_effect_per_system']:.2f} -> {fa['obligations_in_effect_per_system']:.2f}; "
        f"systems with at least one duty {fb['systems_with_duties_share']:.1%} -> "
        f"{fa['systems_with_duties_share']:.1%}; duty units outside the common core per system "
        f"{fb['outside_core_per_system']:.2f} -> {fa['outside_core_per_system']:.2f}; divergences per system "
        f"{fb['divergences_per_system']:.3f} -> {fa['divergences_per_system']:.3f}; "
        f"{duties['added_per_system']:.2f} obligations added and {duties['removed_per_system']:.2f} removed per system"
    )
