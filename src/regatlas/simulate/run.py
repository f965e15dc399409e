"""Simulation: one pack (or a scenario's overlay of it) over a population on a date, summarised with weights.

The chosen engine (Polars, DuckDB or Spark SQL) computes every finding for every row; the summary is then
aggregated from that table with the same Polars expressions whichever engine computed it, so two engines give
the same JSON apart from the engine's name and timings.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from ..compile.outcomes import OUTCOME, outcome_table
from ..compile.plan import Plan, build_plan
from ..compile.polars_backend import applies_column, evaluate_polars, touch_column
from ..errors import Problem, RegatlasError
from ..expr.ir import Lit
from ..rules.pack import Pack
from .costs import CostTable
from .metrics import DEFAULT_ADAPTATION_SHARE, SHOWN_KINDS, Layout, held, measures, open_

ENGINES = ("polars", "duckdb", "spark")
UNKNOWN_SAMPLE = 100_000  # rows used to rank the facts that leave findings open
CHUNK_ROWS = 500_000  # rows simulated at a time: memory stays bounded whatever the population's size


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
        return _rows(self, "total", {"weight": pl.col("weight").sum()})["weight"]


def evaluate(engine: str, plan: Plan, population: pl.DataFrame, pack: Pack) -> pl.DataFrame:
    """Every finding for every row, by the named engine."""
    if engine == "polars":
        return evaluate_polars(plan, population, pack.vocabulary)
    from .columns import complete

    complete_population = complete(population, pack.vocabulary).collect()
    if engine == "duckdb":
        from ..compile.duckdb_backend import evaluate_duckdb

        found = evaluate_duckdb(plan, complete_population)
    elif engine == "spark":
        from ..compile.spark_backend import evaluate_spark

        found = evaluate_spark(plan, complete_population)
    else:
        raise RegatlasError(Problem(f"unknown engine '{engine}'", path="--engine", allowed=list(ENGINES)))
    # SQL engines return rows in any order: put them back in the population's, so sums add up identically.
    return population.select("id").join(found, on="id", how="left", maintain_order="left")


def simulate(
    pack: Pack,
    population: pl.DataFrame,
    as_of: dt.date,
    engine: str,
    costs: CostTable,
    adaptation_share: float = DEFAULT_ADAPTATION_SHARE,
    progress: Callable[[str], None] | None = None,
    totals: Totals | None = None,
) -> Simulation:
    step = progress or (lambda _: None)
    started = time.perf_counter()
    step("compiling the rules")
    plan = build_plan(pack, as_of)
    layout = Layout.build(pack, plan)
    compiled = time.perf_counter()
    step(f"evaluating {len(plan.rules)} rules over {population.height:,} systems ({engine})")
    findings = evaluate(engine, plan, population, pack)
    evaluated = time.perf_counter()
    step("measuring fragmentation and effort")
    table = measures(findings, plan, layout, costs.per_theme, adaptation_share).collect()
    measured = time.perf_counter()
    seconds = {
        "compile": round(compiled - started, 3),
        "evaluate": round(evaluated - compiled, 3),
        "measure": round(measured - evaluated, 3),
    }
    return Simulation(pack, plan, layout, engine, table, seconds, population, totals or Totals())


def _weighted(expr: pl.Expr) -> pl.Expr:
    return (pl.col("weight") * expr.cast(pl.Float64)).sum()


def _sums(frame: pl.DataFrame, exprs: dict[str, pl.Expr]) -> dict[str, float]:
    if not exprs:
        return {}
    row = frame.select([e.alias(name) for name, e in exprs.items()]).row(0, named=True)
    return {k: float(v or 0.0) for k, v in row.items()}


def _rows(sim: Simulation, namespace: str, exprs: dict[str, pl.Expr]) -> dict[str, float]:
    """Weighted sums: of this chunk while simulating (added to the totals), of every chunk once final."""
    if sim.totals.final:
        return sim.totals.sums.get(namespace, {name: 0.0 for name in exprs})
    values = _sums(sim.table, exprs)
    sim.totals.add(namespace, values)
    return values


def _instrument_figures(sim: Simulation) -> list[dict[str, Any]]:
    exprs: dict[str, pl.Expr] = {}
    for inst in sim.plan.instruments:
        touched = pl.col(touch_column(inst.id))
        exprs[f"{inst.id}|touched"] = _weighted(touched)
        for label, kinds in (("in_scope", ("scope",)), ("prohibited", ("prohibition",)), ("duties", ("obligation",))):
            rules = [r for r in inst.rules if r.kind in kinds]
            if not rules:
                continue
            yes = pl.any_horizontal([held(r.key, inst.id) for r in rules])
            unknown = ~yes & pl.any_horizontal([open_(r.key, inst.id) for r in rules])
            exprs[f"{inst.id}|{label}|yes"] = _weighted(yes)
            exprs[f"{inst.id}|{label}|unknown"] = _weighted(unknown)
    values = _rows(sim, "instruments", exprs)
    out = []
    for inst in sim.plan.instruments:
        meta = sim.pack.instruments[inst.id].meta.instrument
        entry: dict[str, Any] = {
            "instrument": inst.id,
            "title": meta.short_title,
            "jurisdiction": inst.jurisdiction,
            "binding_force": meta.binding_force,
            "touched": values[f"{inst.id}|touched"],
        }
        for label in ("in_scope", "prohibited", "duties"):
            if f"{inst.id}|{label}|yes" in values:
                entry[label] = {
                    "yes": values[f"{inst.id}|{label}|yes"],
                    "unknown": values[f"{inst.id}|{label}|unknown"],
                }
        out.append(entry)
    return out


def risk_classes(sim: Simulation) -> list:
    """Classification rules that establish a risk tier (the pack marks them with `risk_class`)."""
    return [r for r in sim.layout.rules if r.risk_class]


def _classes(sim: Simulation) -> list[dict[str, Any]]:
    rules = risk_classes(sim)
    exprs: dict[str, pl.Expr] = {}
    for r in rules:
        exprs[f"{r.key}|yes"] = _weighted(held(r.key, r.instrument_id))
        exprs[f"{r.key}|unknown"] = _weighted(open_(r.key, r.instrument_id))
    values = _rows(sim, "classes", exprs)
    return [
        {
            "finding": r.key,
            "class": r.risk_class,
            "title": r.title,
            "jurisdiction": r.jurisdiction,
            "yes": values[f"{r.key}|yes"],
            "unknown": values[f"{r.key}|unknown"],
        }
        for r in rules
    ]


def _themes(sim: Simulation) -> list[dict[str, Any]]:
    exprs = {t: _weighted(pl.col(f"shared:{t}") > 0) for t in sim.layout.themes}
    exprs |= {f"{t}|k": _weighted(pl.col(f"shared:{t}")) for t in sim.layout.themes}
    exprs |= {f"{t}|eur": _weighted(pl.col(f"effort:{t}")) for t in sim.layout.themes}
    values = _rows(sim, "themes", exprs)
    vocab = sim.pack.vocabularies.themes
    out = []
    for t in sim.layout.themes:
        systems = values[t]
        out.append(
            {
                "theme": t,
                "title": vocab[t].title if t in vocab else t,
                "systems": systems,
                "jurisdictions_per_system": values[f"{t}|k"] / systems if systems else 0.0,
                "effort_eur": values[f"{t}|eur"],
            }
        )
    return sorted(out, key=lambda e: (-round(e["systems"], 3), e["theme"]))


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


def _unknowns(sim: Simulation, top: int = 10) -> dict[str, Any]:
    shown = [r for r in sim.layout.rules if r.kind in SHOWN_KINDS]
    per_instrument: dict[str, int] = {}
    for r in shown:
        per_instrument[r.instrument_id] = per_instrument.get(r.instrument_id, 0) + 1
    assessed = _weighted(
        pl.sum_horizontal([pl.col(touch_column(i)).cast(pl.Int32) * n for i, n in per_instrument.items()])
    )
    unknown = _weighted(pl.sum_horizontal([open_(r.key, r.instrument_id).cast(pl.Int32) for r in shown]))
    totals = _rows(sim, "unknown", {"assessed": assessed, "unknown": unknown})
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


def _fragmentation(sim: Simulation) -> dict[str, float]:
    bound = pl.col("binding_jurisdictions") > 0
    several = pl.col("binding_jurisdictions") > 1
    values = _rows(
        sim,
        "fragmentation",
        {
            "bound": _weighted(bound),
            "several": _weighted(several),
            "conflict": _weighted(pl.col("faces_conflict")),
            "conflicts": _weighted(pl.col("conflicts")),
            "divergences": _weighted(pl.col("divergences")),
            "outside_core": _weighted(pl.col("outside_core")),
            "units": _weighted(pl.col("units")),
            "index": _weighted(pl.col("fragmentation_index")),
            "index_several": _weighted(pl.when(several).then(pl.col("fragmentation_index")).otherwise(0.0)),
            "jurisdictions": _weighted(pl.col("binding_jurisdictions")),
            "effort": _weighted(pl.col("effort_eur")),
            "effort_max": _weighted(pl.col("effort_eur_max")),
            "obligations": _weighted(pl.col("obligations")),
            "in_effect": _weighted(pl.col("obligations_in_effect")),
        },
    )
    total = sim.total or 1.0
    bound_w = values["bound"] or 1.0
    return {
        "obligations_per_system": values["obligations"] / total,
        "obligations_in_effect_per_system": values["in_effect"] / total,
        "systems_with_duties_share": values["bound"] / total,
        "systems_in_several_jurisdictions_share": values["several"] / total,
        "conflict_share": values["conflict"] / total,
        "conflicts_per_system": values["conflicts"] / total,
        "divergences_per_system": values["divergences"] / total,
        "duty_units_per_system": values["units"] / total,
        "outside_core_per_system": values["outside_core"] / total,
        "binding_jurisdictions_per_bound_system": values["jurisdictions"] / bound_w,
        "mean_index_bound": values["index"] / bound_w,
        "mean_index_several": values["index_several"] / (values["several"] or 1.0),
        "effort_eur_per_system": values["effort"] / total,
        "effort_eur_per_system_max": values["effort_max"] / total,
        "effort_eur_total": values["effort"],
    }


def summary(sim: Simulation, costs: CostTable, adaptation_share: float) -> dict[str, Any]:
    """The JSON summary of a simulation (identical across engines but for `engine` and `seconds`)."""
    return {
        "as_of": sim.plan.as_of.isoformat(),
        "pack_revision": sim.plan.pack_revision,
        "engine": sim.engine,
        "seconds": sim.seconds,
        "population": {"rows": sim.rows, "systems": sim.total},
        "instruments": _instrument_figures(sim),
        "classes": _classes(sim),
        "themes": _themes(sim),
        "unknown": _unknowns(sim),
        "fragmentation": _fragmentation(sim),
        "effort_model": {
            "currency": costs.currency,
            "adaptation_share": adaptation_share,
            "per_theme_eur": {t: costs.per_theme.get(t, 0.0) for t in sim.layout.themes},
        },
    }


# Scenario comparison ------------------------------------------------------------------------------------------

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


def _record_states(sim: Simulation) -> None:
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
        return _rows(sim, "effort_themes", {t: _weighted(pl.col(f"effort:{t}")) for t in sim.layout.themes})

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


def class_shares(sim: Simulation) -> pl.DataFrame:
    """Per binding-capable jurisdiction, the weighted systems in each class: the scenario picture's data.

    Classes, strongest first: prohibited (a ban holds), risk class (a classification the pack marks as a risk
    tier holds: high-risk, high-impact...), duties (an obligation holds), none (the jurisdiction's instruments
    touch the system but ask nothing of it).
    """
    rows = []
    by_j: dict[str, list] = {}
    for r in sim.layout.rules:
        by_j.setdefault(r.jurisdiction, []).append(r)
    for j, rules in sorted(by_j.items()):
        touched = pl.any_horizontal([pl.col(touch_column(i)) for i in sorted({r.instrument_id for r in rules})])

        def any_held(chosen: list) -> pl.Expr:
            return pl.any_horizontal([held(r.key, r.instrument_id) for r in chosen]) if chosen else pl.lit(False)

        prohibited = any_held([r for r in rules if r.kind == "prohibition"])
        classified = any_held([r for r in rules if r.risk_class])
        duties = any_held([r for r in rules if r.kind == "obligation"])
        values = _rows(
            sim,
            f"classes:{j}",
            {
                "prohibited": _weighted(prohibited),
                "risk_class": _weighted(~prohibited & classified),
                "duties": _weighted(~prohibited & ~classified & duties),
                "none": _weighted(touched & ~prohibited & ~classified & ~duties),
            },
        )
        rows.append({"jurisdiction": j, **values})
    return pl.DataFrame(rows)


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


def _chunks(population: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [population.slice(offset, size) for offset in range(0, max(population.height, 1), size)]


def _record(sim: Simulation, costs: CostTable, share: float) -> None:
    """Add this chunk's sums for every figure of the summary and the picture to the run's totals."""
    sim.totals.begin_chunk(sim.table.height)
    summary(sim, costs, share)
    class_shares(sim)
    _rows(sim, "effort_themes", {t: _weighted(pl.col(f"effort:{t}")) for t in sim.layout.themes})


def _finished(first: Simulation, seconds: dict[str, float]) -> Simulation:
    """The run over the whole population: its plan and layout, every chunk's totals, no table."""
    first.totals.final = True
    return Simulation(first.pack, first.plan, first.layout, first.engine, first.table.clear(), seconds,
                      totals=first.totals)  # fmt: skip


def _add_seconds(into: dict[str, float], run: Simulation) -> None:
    for key, value in run.seconds.items():
        into[key] = round(into.get(key, 0.0) + value, 3)


def run_simulation(
    pack: Pack,
    population: pl.DataFrame,
    as_of: dt.date,
    engine: str,
    scenarios: list,
    costs: CostTable,
    adaptation_share: float = DEFAULT_ADAPTATION_SHARE,
    progress: Callable[[str], None] | None = None,
    rows: bool = False,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[dict[str, Any], pl.DataFrame | None]:
    """The law and every scenario over one population, a chunk of rows at a time (memory stays bounded).

    Returns the JSON-ready result and, with `rows`, the per-profile table of the law (`rows_table`).
    """
    packs = [scenario.apply(pack) for scenario in scenarios]
    totals = [Totals() for _ in range(len(scenarios) + 1)]
    seconds: list[dict[str, float]] = [{} for _ in totals]
    firsts: list[Simulation | None] = [None for _ in totals]
    tables: list[pl.DataFrame] = []
    chunks = _chunks(population, chunk_rows)
    for number, chunk in enumerate(chunks, 1):
        where = f" (rows {number} of {len(chunks)} parts)" if len(chunks) > 1 else ""
        base = simulate(pack, chunk, as_of, engine, costs, adaptation_share, progress, totals[0])
        _record(base, costs, adaptation_share)
        if scenarios:
            _record_states(base)
        _add_seconds(seconds[0], base)
        firsts[0] = firsts[0] or base
        if rows:
            tables.append(rows_table(base))
        for i, changed in enumerate(packs, 1):
            if progress:
                progress(f"scenario {scenarios[i - 1].id}{where}")
            run = simulate(changed, chunk, as_of, engine, costs, adaptation_share, progress, totals[i])
            _record(run, costs, adaptation_share)
            transitions(base, run)
            duty_changes(base, run)
            _add_seconds(seconds[i], run)
            firsts[i] = firsts[i] or run
    done = [_finished(first, secs) for first, secs in zip(firsts, seconds, strict=True)]  # type: ignore[arg-type]
    return _result(done[0], done[1:], scenarios, costs, adaptation_share), (pl.concat(tables) if rows else None)


def _result(base: Simulation, runs: list[Simulation], scenarios: list, costs: CostTable, share: float) -> dict:
    base_summary = summary(base, costs, share)
    results = []
    for scenario, run in zip(scenarios, runs, strict=True):
        after = summary(run, costs, share)
        moved = duty_changes(base, run)
        meta = scenario.spec.scenario
        results.append(
            {
                "id": meta.id,
                "title": meta.title,
                "status": meta.status,
                "description": meta.description,
                "sources": meta.sources,
                "file": scenario.source,
                "pack_revision": run.plan.pack_revision,
                "seconds": run.seconds,
                "baseline_fragmentation": base_summary["fragmentation"],
                "fragmentation": after["fragmentation"],
                "instruments": after["instruments"],
                "classes_summary": after["classes"],
                "duties": moved,
                "transitions": transitions(base, run),
                "effort": effort_changes(base, run),
                "classes": {"baseline": class_shares(base).to_dicts(), "scenario": class_shares(run).to_dicts()},
                "answer": answer(base_summary, after, moved),
            }
        )
    return {"format": "regatlas.simulation/1", "baseline": base_summary, "scenarios": results}


def rows_table(sim: Simulation) -> pl.DataFrame:
    """The per-profile table of `--rows`: id, then one yes/no/unknown column per finding (null: not touched)."""
    return outcome_table(sim.plan, sim.table).collect()


__all__ = ["ENGINES", "OUTCOME", "Simulation", "rows_table", "run_simulation", "simulate", "summary"]
