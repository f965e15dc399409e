"""The arithmetic of a bias audit under 6 RCNY § 5-301, in Polars.

Selection rate (§ 5-301(b)): the share of a category's candidates the tool selected (moved forward or put in
a group). Scoring rate (§ 5-301(c)): the share of a category's candidates scoring above the median score of the
full sample, unknown categories included (the median is the sample's, not the category's). Impact ratio: a
category's rate divided by the rate of the most selected (highest-rate) category, computed separately for
each category column (sex, race/ethnicity) and for their intersection.

Individuals whose category is unknown (an empty cell) are counted for each table and left out of its rates,
as § 5-301(b)(5) and (c)(5) say; they are still in the data whose 2% § 5-301(d) measures. A category under 2%
of the data may be left out of the impact ratios only when the auditor asks, with a justification: the
category is then still reported with its number of applicants and its rate, marked excluded, and takes no part
in choosing the highest rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..errors import Problem, RegatlasError, nearest
from .bias_data import AuditData

SMALL_SHARE = 0.02  # § 5-301(d): "a category that represents less than 2% of the data"
INTERSECTION = "intersection"
JOIN = " | "  # between the values of an intersectional category: "Female | Asian"


@dataclass(frozen=True)
class Exclusion:
    """A category the auditor leaves out of the impact ratios, and why (§ 5-301(d))."""

    dimension: str | None  # None: find the category in whichever table has it
    category: str
    justification: str


def parse_exclusion(text: str) -> Exclusion:
    """`[DIMENSION:]CATEGORY=JUSTIFICATION`, e.g. `race_ethnicity:Native American=12 applicants in all`."""
    target, sep, why = text.partition("=")
    if not sep or not target.strip() or not why.strip():
        raise RegatlasError(
            Problem(
                f"bad exclusion {text!r}: a category and the justification the summary must give are both needed",
                path="--exclude",
                allowed=["CATEGORY=JUSTIFICATION", "DIMENSION:CATEGORY=JUSTIFICATION"],
            )
        )
    dimension, colon, category = target.partition(":")
    if not colon:
        return Exclusion(None, target.strip(), why.strip())
    return Exclusion(dimension.strip(), category.strip(), why.strip())


def audit(data: AuditData, method: str, exclusions: list[Exclusion]) -> dict:
    """Rates and impact ratios per table, unknowns, small categories and the exclusions asked for."""
    frame, median = _with_positive(data, method)
    dimensions = _dimensions(data.categories)
    tables = {name: _counts(frame, columns) for name, columns in dimensions.items()}
    chosen = _resolve(exclusions, tables, frame.height)
    return {
        "median_score": median,
        "tables": [
            _table(name, columns, tables[name], frame.height, chosen.get(name, {}))
            for name, columns in dimensions.items()
        ],
        "exclusions": [
            {"dimension": name, "category": category, "justification": why}
            for name, picked in chosen.items()
            for category, why in picked.items()
        ],
    }


def _with_positive(data: AuditData, method: str) -> tuple[pl.DataFrame, float | None]:
    """The frame with `_positive`: selected, or scoring above the full sample's median."""
    outcome = pl.col(data.outcome)
    if method == "selection":
        return data.frame.with_columns(outcome.alias("_positive")), None
    median = float(data.frame.get_column(data.outcome).median())  # type: ignore[arg-type]
    return data.frame.with_columns((outcome > median).alias("_positive")), median


def _dimensions(categories: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    named = {name: (name,) for name in categories}
    if len(categories) > 1:
        named[INTERSECTION] = categories  # § 5-301(b)(3)(iii): sex, ethnicity and race together
    return named


def _counts(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """One row per known category: its label, applicants and positives; plus the unknown count as a row."""
    known = pl.all_horizontal(pl.col(c).is_not_null() for c in columns)
    label = pl.concat_str([pl.col(c) for c in columns], separator=JOIN)
    return (
        frame.with_columns(pl.when(known).then(label).otherwise(None).alias("_category"))
        .group_by("_category")
        .agg(pl.len().alias("applicants"), pl.col("_positive").sum().alias("positive"))
        .sort("_category", nulls_last=True)
    )


def _resolve(exclusions: list[Exclusion], tables: dict[str, pl.DataFrame], total: int) -> dict[str, dict[str, str]]:
    """Each exclusion placed in its table and checked: a known category, under 2% of the data."""
    chosen: dict[str, dict[str, str]] = {}
    for exclusion in exclusions:
        name = _table_of(exclusion, tables)
        counts = tables[name].filter(pl.col("_category") == exclusion.category)
        share = counts.get_column("applicants").sum() / total
        if share >= SMALL_SHARE:
            raise RegatlasError(
                Problem(
                    f"'{exclusion.category}' ({name}) is {share:.1%} of the data; 6 RCNY § 5-301(d) lets an auditor "
                    "exclude only a category under 2% of the data from the impact ratios",
                    path="--exclude",
                )
            )
        chosen.setdefault(name, {})[exclusion.category] = exclusion.justification
    return chosen


def _table_of(exclusion: Exclusion, tables: dict[str, pl.DataFrame]) -> str:
    def has(name: str) -> bool:
        return exclusion.category in tables[name].get_column("_category").to_list()

    if exclusion.dimension is not None and exclusion.dimension not in tables:
        raise RegatlasError(
            Problem(
                f"no category column '{exclusion.dimension}'",
                path="--exclude",
                allowed=list(tables),
                suggestion=nearest(exclusion.dimension, tables),
            )
        )
    places = [exclusion.dimension] if exclusion.dimension is not None else [n for n in tables if has(n)]
    if len(places) == 1 and has(places[0]):
        return places[0]
    if len(places) > 1:
        raise RegatlasError(
            Problem(
                f"'{exclusion.category}' is a category of {' and '.join(places)}: say which",
                path="--exclude",
                allowed=[f"{name}:{exclusion.category}=JUSTIFICATION" for name in places],
            )
        )
    known = [c for name in places or tables for c in tables[name].get_column("_category").drop_nulls().to_list()]
    raise RegatlasError(
        Problem(
            f"no category '{exclusion.category}' in the data",
            path="--exclude",
            allowed=sorted(set(known)),
            suggestion=nearest(exclusion.category, known),
        )
    )


def _table(name: str, columns: tuple[str, ...], counts: pl.DataFrame, total: int, excluded: dict[str, str]) -> dict:
    known = counts.filter(pl.col("_category").is_not_null())
    unknown = int(counts.filter(pl.col("_category").is_null()).get_column("applicants").sum())
    rated = known.with_columns(
        (pl.col("positive") / pl.col("applicants")).alias("rate"),
        (pl.col("applicants") / total).alias("share"),
        pl.col("_category").is_in(list(excluded)).alias("excluded"),
    )
    compared = rated.filter(~pl.col("excluded"))
    highest = compared.get_column("rate").max() if compared.height else None
    reference = [] if highest is None else compared.filter(pl.col("rate") == highest).get_column("_category").to_list()
    return {
        "dimension": name,
        "columns": list(columns),
        "unknown": unknown,
        "highest_rate": highest,
        "reference": reference,
        "impact_ratio_undefined": _undefined(highest),
        "categories": [_category_row(row, highest, excluded) for row in rated.iter_rows(named=True)],
    }


def _undefined(highest: float | None) -> str | None:
    """Why no impact ratio can be computed for a table, or None when they can."""
    if highest is None:
        return "no category of known value is compared (all unknown or excluded)"
    if highest == 0:
        return "no candidate of any compared category has a positive outcome: every ratio would divide by zero"
    return None


def _category_row(row: dict, highest: float | None, excluded: dict[str, str]) -> dict:
    category = row["_category"]
    ratio = None if row["excluded"] or not highest else row["rate"] / highest
    return {
        "category": category,
        "applicants": row["applicants"],
        "positive": row["positive"],
        "rate": row["rate"],
        "impact_ratio": ratio,
        "share_of_data": row["share"],
        "under_2_percent": row["share"] < SMALL_SHARE,
        "excluded": row["excluded"],
        "justification": excluded.get(category),
    }
