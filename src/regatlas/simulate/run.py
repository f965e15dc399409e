"""Simulation: one pack (or a scenario's overlay of it) over a population on a date, summarised with weights.

The chosen engine (Polars, DuckDB or Spark SQL) computes every finding for every row; the summary is then
aggregated from that table with the same Polars expressions whichever engine computed it, so two engines give
the same JSON apart from the engine's name and timings.

This module runs the engine over each chunk of rows (`simulate`) and drives the chunks (`run_simulation`); the
figures come from `summary` (one run) and `changes` (a scenario against the law), the sums they add up from
`simulation`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import polars as pl

from ..compile.outcomes import OUTCOME, outcome_table
from ..compile.plan import Plan, build_plan
from ..compile.polars_backend import evaluate_polars
from ..errors import Problem, RegatlasError
from ..rules.pack import Pack
from .changes import answer, duty_changes, effort_changes, record_states, transitions
from .costs import CostTable
from .metrics import DEFAULT_ADAPTATION_SHARE, Layout, measures
from .simulation import Simulation, Totals, weighted, weighted_sums
from .summary import class_shares, summary

ENGINES = ("polars", "duckdb", "spark")
CHUNK_ROWS = 500_000  # rows simulated at a time: memory stays bounded whatever the population's size


def evaluate(engine: str, plan: Plan, population: pl.DataFrame, pack: Pack) -> pl.DataFrame:
    """Every finding for every row, by the named engine."""
    if engine == "polars":
        return evaluate_polars(plan, population, pack.vocabulary)
    from ..compile.columns import complete

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


def _chunks(population: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [population.slice(offset, size) for offset in range(0, max(population.height, 1), size)]


def _record(sim: Simulation, costs: CostTable, share: float) -> None:
    """Add this chunk's sums for every figure of the summary and the picture to the run's totals."""
    sim.totals.begin_chunk(sim.table.height)
    summary(sim, costs, share)
    class_shares(sim)
    weighted_sums(sim, "effort_themes", {t: weighted(pl.col(f"effort:{t}")) for t in sim.layout.themes})


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
            record_states(base)
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
