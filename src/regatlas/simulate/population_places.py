"""The place facts of a population: jurisdiction codes made canonical, and derived facts checked against lists.

Codes are looked up once per distinct code written in the file, never once per row. A row that gives both a
derived fact (such as `territory.placed_on_eu_market`) and the list it follows from must agree on the date.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ..facts.vocabulary import Vocabulary
from ..jurisdictions.registry import Registry
from .population_problems import ROW, Found
from .population_values import Column, text_hints, text_list


def code_map(
    raw: pl.DataFrame, columns: list[Column], vocabulary: Vocabulary, registry: Registry
) -> dict[str, str | None]:
    """Every distinct jurisdiction code written in the file -> its canonical code (None when unknown)."""
    lists = []
    for column in columns:
        if column.name in vocabulary and vocabulary[column.name].type == "jurisdictions":
            items = text_list(pl.col(column.key), raw.schema[column.key], text_hints(raw, column.key))
            if items is not None:
                lists.append(raw.select(items.explode().drop_nulls().unique().alias("code"))["code"])
    distinct = pl.concat(lists).unique().to_list() if lists else []
    return {code: registry.normalise(code) for code in distinct}


def contradictions(
    clean: pl.DataFrame, vocabulary: Vocabulary, registry: Registry, day: dt.date, order: dict[str, int]
) -> list[Found]:
    out = []
    for fact in vocabulary.facts.values():
        source = fact.derive_from
        if source is None or fact.id not in clean.columns or source not in clean.columns:
            continue
        codes = clean.select(pl.col(source).explode().drop_nulls().unique())[source].to_list()
        within = {code: registry.within(code, fact.derive_within, day) for code in codes}  # type: ignore[arg-type]
        value = pl.col(source).list.eval(pl.element().replace_strict(within, return_dtype=pl.Boolean)).list.any()
        both = clean.select(ROW, fact.id, source).filter(pl.col(fact.id).is_not_null() & pl.col(source).is_not_null())
        bad = both.filter(pl.col(fact.id) != value)
        for row, given, listed in bad.iter_rows():
            follows = any(within[c] for c in listed)
            shown = ", ".join(sorted(listed)) or "nothing"
            message = (
                f"says {str(given).lower()}, but {source} lists {shown}, which "
                f"{'includes' if follows else 'does not include'} {fact.derive_within} on {day}"
            )
            allowed = [f"leave {fact.id} out: it follows from {source}"]
            out.append(
                Found(
                    row,
                    order[fact.id],
                    fact.id,
                    lambda loc, row, m=message, a=allowed, f=fact.id: loc.problem(m, row, f, allowed=a),
                )
            )
    return out
