"""Per-system measures over a findings table, as Polars expressions (whichever engine computed the findings).

A finding *holds* for a system when the system's places touch the instrument and the rule concludes yes; it is
*open* when they touch it and the rule is unknown. The fragmentation measures are `compare`'s, row by row:

- binding jurisdictions: those with at least one obligation that holds;
- units: distinct (jurisdiction, theme) pairs of obligations that hold; shared(t) = jurisdictions requiring t;
- core: themes every binding jurisdiction requires; index: effort-weighted share of units outside the core;
- conflicts and divergences: `compare.pairs.potential_pairs` whose two duties both hold.

Effort in EUR (docs/simulate.md): every theme required anywhere costs its yearly cost once, and each further
*law* requiring it adds `adaptation_share` of that cost (another notice, filing or format). One law in force in
several places (a scenario's common rules) is one implementation; a pair of duties of one law is never a
conflict or a divergence, wherever the law applies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from ..compare.pairs import DutyPair, potential_pairs
from ..compile.plan import Plan, RulePlan
from ..compile.polars_backend import applies_column, touch_column
from ..expr.ir import Lit
from ..rules.pack import Pack
from .scenario import law_of

DEFAULT_ADAPTATION_SHARE = 0.25  # an assumption [L]: see docs/simulate.md
SHOWN_KINDS = ("scope", "classification", "prohibition", "obligation", "exemption", "permission")


def held(key: str, instrument_id: str) -> pl.Expr:
    return (pl.col(touch_column(instrument_id)) & pl.col(key)).fill_null(False)


def open_(key: str, instrument_id: str) -> pl.Expr:
    return pl.col(touch_column(instrument_id)) & pl.col(key).is_null()


@dataclass
class RuleInfo:
    key: str
    instrument_id: str
    jurisdiction: str
    kind: str
    themes: tuple[str, ...]
    title: str
    risk_class: str | None = None


@dataclass
class Layout:
    """What the measures need to know about the plan's findings: kinds, places and themes."""

    rules: list[RuleInfo]
    pairs: list[DutyPair]
    effort: dict[str, float]
    units: dict[tuple[str, str], list[RuleInfo]] = field(default_factory=dict)  # (jurisdiction, theme) -> duties
    books: dict[tuple[str, str], list[RuleInfo]] = field(default_factory=dict)  # (law, theme) -> duties

    @classmethod
    def build(cls, pack: Pack, plan: Plan) -> Layout:
        rules = []
        for inst in plan.instruments:
            meta = pack.instruments[inst.id]
            for r in inst.rules:
                loaded = meta.rules[r.rule_id].rule
                rules.append(
                    RuleInfo(
                        r.key, inst.id, inst.jurisdiction, r.kind, tuple(loaded.themes), loaded.title, loaded.risk_class
                    )
                )
        keys = {r.key for r in rules}
        pairs = [
            p
            for p in potential_pairs(pack)
            if p.a_key in keys and p.b_key in keys and law_of(_inst(p.a_key)) != law_of(_inst(p.b_key))
        ]
        effort = {t.id: t.effort for t in pack.vocabularies.themes.values()}
        units: dict[tuple[str, str], list[RuleInfo]] = defaultdict(list)
        books: dict[tuple[str, str], list[RuleInfo]] = defaultdict(list)
        for r in rules:
            if r.kind == "obligation":
                for theme in r.themes:
                    units[(r.jurisdiction, theme)].append(r)
                    books[(law_of(r.instrument_id), theme)].append(r)
        return cls(rules, pairs, effort, dict(units), dict(books))

    def rule(self, key: str) -> RuleInfo:
        return self._by_key[key]

    def __post_init__(self) -> None:
        self._by_key = {r.key: r for r in self.rules}

    @property
    def themes(self) -> list[str]:
        return sorted({t for _, t in self.units})

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({j for j, _ in self.units})


def unit_columns(layout: Layout) -> list[pl.Expr]:
    """`unit:J:T`: does jurisdiction J require theme T of this system (an obligation of that theme holds)?
    `book:L:T`: does law L require it?"""
    units = [
        pl.any_horizontal([held(r.key, r.instrument_id) for r in duties]).alias(f"unit:{j}:{t}")
        for (j, t), duties in layout.units.items()
    ]
    books = [
        pl.any_horizontal([held(r.key, r.instrument_id) for r in duties]).alias(f"book:{law}:{t}")
        for (law, t), duties in layout.books.items()
    ]
    # The upper bound: the obligation holds or is still unknown (what the effort could be once facts are known).
    could = [
        pl.any_horizontal([held(r.key, r.instrument_id) | open_(r.key, r.instrument_id) for r in duties]).alias(
            f"book+:{law}:{t}"
        )
        for (law, t), duties in layout.books.items()
    ]
    return units + books + could


def _sum(exprs: list[pl.Expr]) -> pl.Expr:
    return pl.sum_horizontal([e.cast(pl.Int32) for e in exprs]) if exprs else pl.lit(0, dtype=pl.Int32)


def fragmentation_columns(layout: Layout, costs: dict[str, float], adaptation_share: float) -> list[list[pl.Expr]]:
    """Stages of per-system measures, each computed from the previous ones (Polars cannot reuse a name in one)."""
    by_j: dict[str, list[str]] = defaultdict(list)
    by_t: dict[str, list[str]] = defaultdict(list)
    for j, t in layout.units:
        by_j[j].append(f"unit:{j}:{t}")
        by_t[t].append(f"unit:{j}:{t}")
    laws_by_t: dict[str, list[str]] = defaultdict(list)
    for law, t in layout.books:
        laws_by_t[t].append(f"book:{law}:{t}")
    binding = [pl.any_horizontal([pl.col(c) for c in cols]).alias(f"binds:{j}") for j, cols in by_j.items()]
    shared = [_sum([pl.col(c) for c in cols]).alias(f"shared:{t}") for t, cols in by_t.items()]
    laws = [_sum([pl.col(c) for c in cols]).alias(f"laws:{t}") for t, cols in laws_by_t.items()]
    laws_max = [
        _sum([pl.col(c.replace("book:", "book+:", 1)) for c in cols]).alias(f"laws+:{t}")
        for t, cols in laws_by_t.items()
    ]
    stage2 = [*binding, *shared, *laws, *laws_max]
    n = _sum([pl.col(f"binds:{j}") for j in by_j]).alias("binding_jurisdictions")
    conflicts = [_both(p) for p in layout.pairs if p.kind == "conflict"]
    divergences = [_both(p) for p in layout.pairs if p.kind == "divergence"]
    stage3 = [
        n,
        pl.any_horizontal(conflicts).fill_null(False).alias("faces_conflict")
        if conflicts
        else pl.lit(False).alias("faces_conflict"),
        _sum(conflicts).alias("conflicts"),
        _sum(divergences).alias("divergences"),
    ]
    units_total, outside_effort, total_effort, outside_units = [], [], [], []
    for (j, t), _duties in layout.units.items():
        column = pl.col(f"unit:{j}:{t}")
        outside = column & (pl.col(f"shared:{t}") < pl.col("binding_jurisdictions"))
        weight = layout.effort.get(t, 1.0)
        units_total.append(column)
        outside_units.append(outside)
        total_effort.append(column.cast(pl.Float64) * weight)
        outside_effort.append(outside.cast(pl.Float64) * weight)
    total = pl.sum_horizontal(total_effort) if total_effort else pl.lit(0.0)
    outside_total = pl.sum_horizontal(outside_effort) if outside_effort else pl.lit(0.0)
    stage4 = [
        _sum(units_total).alias("units"),
        _sum(outside_units).alias("outside_core"),
        pl.when(total > 0).then(outside_total / total).otherwise(0.0).alias("fragmentation_index"),
        *effort_by_theme(layout, costs, adaptation_share),
        *effort_by_theme(layout, costs, adaptation_share, upper=True),
    ]
    themes = [pl.col(f"effort:{t}") for t in layout.themes]
    themes_max = [pl.col(f"effort+:{t}") for t in layout.themes]
    stage5 = [
        (pl.sum_horizontal(themes) if themes else pl.lit(0.0)).alias("effort_eur"),
        (pl.sum_horizontal(themes_max) if themes_max else pl.lit(0.0)).alias("effort_eur_max"),
    ]
    return [stage2, stage3, stage4, stage5]


def _both(pair: DutyPair) -> pl.Expr:
    return held(pair.a_key, _inst(pair.a_key)) & held(pair.b_key, _inst(pair.b_key))


def _inst(key: str) -> str:
    return key.split(":", 1)[0]


def effort_by_theme(
    layout: Layout, costs: dict[str, float], adaptation_share: float, upper: bool = False
) -> list[pl.Expr]:
    """Per system and theme, the yearly effort in EUR from the obligations that hold (`effort:T`), or, with
    `upper`, from those that hold or are still unknown (`effort+:T`)."""
    mark = "+" if upper else ""
    out = []
    for t in layout.themes:
        k = pl.col(f"laws{mark}:{t}").cast(pl.Float64)
        cost = costs.get(t, 0.0)
        effort = pl.when(k > 0).then(cost * (1 + adaptation_share * (k - 1))).otherwise(0.0)
        out.append(effort.alias(f"effort{mark}:{t}"))
    return out


def in_effect(rule: RulePlan, as_of: dt.date) -> pl.Expr:
    """The obligation holds and applies on the date (an unknown date does not count as in effect)."""
    holds = held(rule.key, rule.instrument_id)
    if isinstance(rule.applies_from, Lit):
        applies = rule.applies_from.value
        return holds if isinstance(applies, dt.date) and applies <= as_of else pl.lit(False)
    return holds & (pl.col(applies_column(rule.key)) <= pl.lit(as_of)).fill_null(False)


def obligation_counts(plan: Plan) -> list[pl.Expr]:
    obligations = [r for r in plan.rules if r.kind == "obligation"]
    return [
        _sum([held(r.key, r.instrument_id) for r in obligations]).alias("obligations"),
        _sum([in_effect(r, plan.as_of) for r in obligations]).alias("obligations_in_effect"),
    ]


def measures(
    findings: pl.DataFrame, plan: Plan, layout: Layout, costs: dict[str, float], adaptation_share: float
) -> pl.LazyFrame:
    """The findings table with every per-system measure added."""
    lazy = findings.lazy().with_columns([*unit_columns(layout), *obligation_counts(plan)])
    for stage in fragmentation_columns(layout, costs, adaptation_share):
        lazy = lazy.with_columns(stage)
    # Keep what the summaries read; the per-unit and per-law columns were steps (they would triple the memory).
    intermediate = ("unit:", "book:", "book+:", "binds:", "laws:", "laws+:", "effort+:")
    kept = [c for c in lazy.collect_schema().names() if not c.startswith(intermediate)]
    narrow = [pl.col(f"shared:{t}").cast(pl.Int8) for t in layout.themes]
    narrow += [pl.col(f"effort:{t}").cast(pl.Float32) for t in layout.themes]
    return lazy.select(kept).with_columns(narrow)
