"""Findings as words: the per-row table that `simulate --rows` writes and anyone can check against `assess`.

One column per finding key (`instrument:rule`, as in `assess`'s JSON) holding yes / no / unknown, and null
where the profile's places do not touch the instrument (`assess` has no finding there at all).
"""

from __future__ import annotations

import polars as pl

from .plan import Plan
from .polars_backend import touch_column

OUTCOME = pl.Enum(["yes", "no", "unknown"])


def outcome_expr(value: pl.Expr, touched: pl.Expr) -> pl.Expr:
    word = pl.when(value.is_null()).then(pl.lit("unknown")).when(value).then(pl.lit("yes")).otherwise(pl.lit("no"))
    return pl.when(touched).then(word).cast(OUTCOME)


def outcome_table(plan: Plan, results: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """id, then one yes/no/unknown column per finding (null: instrument not touched)."""
    columns = [pl.col("id")]
    for instrument in plan.instruments:
        touched = pl.col(touch_column(instrument.id))
        columns += [outcome_expr(pl.col(r.key), touched).alias(r.key) for r in instrument.rules]
    return results.lazy().select(columns)
