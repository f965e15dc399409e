"""Profiles as population rows, and seeded random profiles for differential tests and benchmarks.

`profiles_frame` turns validated fact dicts (what `Profile.facts` holds) into a population frame with the
column types of compile/columns.py, so one profile can be checked by the scalar and the vectorized engines.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import polars as pl

from ..compile.columns import ID_COLUMN, WEIGHT_COLUMN, population_schema
from ..facts.vocabulary import Fact, Vocabulary

# Places that matter to the bundled pack, and a few that do not (so "not touched" is exercised too).
SAMPLE_PLACES = (
    "DE", "FR", "IE", "EU", "US", "US-CA", "US-NY", "US-NY-NYC", "US-CO", "US-IL", "US-TX", "US-UT",
    "CN", "HK", "GB", "KR", "JP", "CA", "CA-QC", "CA-ON", "IN", "BR", "CH", "SG", "AU",
)  # fmt: skip


def _cell(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def profiles_frame(facts: Sequence[dict], vocabulary: Vocabulary, ids: Sequence[str] | None = None) -> pl.DataFrame:
    """One row per fact dict; facts a dict does not give are null (unknown)."""
    schema = population_schema(vocabulary)
    data: dict[str, list] = {fid: [_cell(f.get(fid)) for f in facts] for fid in schema}
    frame = pl.DataFrame(data, schema=schema)
    row_ids = list(ids) if ids is not None else [f"row-{i}" for i in range(len(facts))]
    return frame.with_columns(pl.Series(ID_COLUMN, row_ids, dtype=pl.String), pl.lit(1.0).alias(WEIGHT_COLUMN)).select(
        [ID_COLUMN, WEIGHT_COLUMN, *schema]
    )


def _random_value(fact: Fact, rng: random.Random) -> object:
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "number":
        low = fact.minimum or 0.0
        scale = 10 ** rng.choice((0, 1, 3, 6, 9, 23, 24, 25, 26))
        return float(low + round(rng.random() * 3 * scale))
    if fact.type == "enum":
        return rng.choice(list(fact.values))
    if fact.type == "set":
        return frozenset(v for v in fact.values if rng.random() < 0.3)
    if fact.type == "date":
        return dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 2200))
    return frozenset(rng.sample(SAMPLE_PLACES, rng.choice((0, 1, 1, 2, 3))))


def random_facts(vocabulary: Vocabulary, rng: random.Random, unknown_share: float = 0.4) -> dict:
    """A random, valid, self-consistent fact dict: derived place facts are given only when their list is not."""
    facts: dict = {}
    for fact in vocabulary.facts.values():
        if rng.random() >= unknown_share:
            facts[fact.id] = _random_value(fact, rng)
    for fact in vocabulary.facts.values():
        if fact.derive_from and fact.derive_from in facts:
            facts.pop(fact.id, None)
    return facts
