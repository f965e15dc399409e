"""The summary of a simulation: instruments, risk classes, themes, unknowns and fragmentation, as weighted figures.

Each figure is a ratio of weighted sums (`simulation.weighted_sums`), so the same functions add a chunk's sums
to the run's totals while simulating and read the totals once the run is final. `class_shares` is the data of
the scenario picture.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ..compile.polars_backend import touch_column
from .costs import CostTable
from .metrics import held, open_
from .simulation import Simulation, weighted, weighted_sums
from .unknown_ranking import unknowns


def _instrument_figures(sim: Simulation) -> list[dict[str, Any]]:
    exprs: dict[str, pl.Expr] = {}
    for inst in sim.plan.instruments:
        touched = pl.col(touch_column(inst.id))
        exprs[f"{inst.id}|touched"] = weighted(touched)
        for label, kinds in (("in_scope", ("scope",)), ("prohibited", ("prohibition",)), ("duties", ("obligation",))):
            rules = [r for r in inst.rules if r.kind in kinds]
            if not rules:
                continue
            yes = pl.any_horizontal([held(r.key, inst.id) for r in rules])
            unknown = ~yes & pl.any_horizontal([open_(r.key, inst.id) for r in rules])
            exprs[f"{inst.id}|{label}|yes"] = weighted(yes)
            exprs[f"{inst.id}|{label}|unknown"] = weighted(unknown)
    values = weighted_sums(sim, "instruments", exprs)
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
        exprs[f"{r.key}|yes"] = weighted(held(r.key, r.instrument_id))
        exprs[f"{r.key}|unknown"] = weighted(open_(r.key, r.instrument_id))
    values = weighted_sums(sim, "classes", exprs)
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
    exprs = {t: weighted(pl.col(f"shared:{t}") > 0) for t in sim.layout.themes}
    exprs |= {f"{t}|k": weighted(pl.col(f"shared:{t}")) for t in sim.layout.themes}
    exprs |= {f"{t}|eur": weighted(pl.col(f"effort:{t}")) for t in sim.layout.themes}
    values = weighted_sums(sim, "themes", exprs)
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


def _fragmentation(sim: Simulation) -> dict[str, float]:
    bound = pl.col("binding_jurisdictions") > 0
    several = pl.col("binding_jurisdictions") > 1
    values = weighted_sums(
        sim,
        "fragmentation",
        {
            "bound": weighted(bound),
            "several": weighted(several),
            "conflict": weighted(pl.col("faces_conflict")),
            "conflicts": weighted(pl.col("conflicts")),
            "divergences": weighted(pl.col("divergences")),
            "outside_core": weighted(pl.col("outside_core")),
            "units": weighted(pl.col("units")),
            "index": weighted(pl.col("fragmentation_index")),
            "index_several": weighted(pl.when(several).then(pl.col("fragmentation_index")).otherwise(0.0)),
            "jurisdictions": weighted(pl.col("binding_jurisdictions")),
            "effort": weighted(pl.col("effort_eur")),
            "effort_max": weighted(pl.col("effort_eur_max")),
            "obligations": weighted(pl.col("obligations")),
            "in_effect": weighted(pl.col("obligations_in_effect")),
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
        "unknown": unknowns(sim),
        "fragmentation": _fragmentation(sim),
        "effort_model": {
            "currency": costs.currency,
            "adaptation_share": adaptation_share,
            "per_theme_eur": {t: costs.per_theme.get(t, 0.0) for t in sim.layout.themes},
        },
    }


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
        values = weighted_sums(
            sim,
            f"classes:{j}",
            {
                "prohibited": weighted(prohibited),
                "risk_class": weighted(~prohibited & classified),
                "duties": weighted(~prohibited & ~classified & duties),
                "none": weighted(touched & ~prohibited & ~classified & ~duties),
            },
        )
        rows.append({"jurisdiction": j, **values})
    return pl.DataFrame(rows)
