"""How a population stores facts as columns: one column per vocabulary fact, named by its dotted id.

Unknown is null in every column, never a default. Types follow the vocabulary:

| fact type      | column type                          |
|----------------|--------------------------------------|
| bool           | Boolean                              |
| number         | Float64                              |
| enum           | Enum of the fact's allowed values    |
| set            | List(String) of allowed values       |
| date           | Date                                 |
| jurisdictions  | List(String) of canonical codes      |

Two more columns: `id` (String, unique per row) and `weight` (Float64 > 0: how many real systems the row
stands for; 1 when absent).
"""

from __future__ import annotations

import polars as pl

from ..facts.vocabulary import Fact, Vocabulary

ID_COLUMN = "id"
WEIGHT_COLUMN = "weight"


def fact_dtype(fact: Fact) -> pl.DataType:
    """The column type that holds one fact."""
    if fact.type == "bool":
        return pl.Boolean()
    if fact.type == "number":
        return pl.Float64()
    if fact.type == "enum":
        return pl.Enum(list(fact.values))
    if fact.type == "date":
        return pl.Date()
    return pl.List(pl.String())  # set and jurisdictions


def population_schema(vocabulary: Vocabulary) -> dict[str, pl.DataType]:
    """Every fact column a population may hold, in vocabulary order."""
    return {fact_id: fact_dtype(fact) for fact_id, fact in vocabulary.facts.items()}


def complete(frame: pl.LazyFrame | pl.DataFrame, vocabulary: Vocabulary) -> pl.LazyFrame:
    """The frame with every fact column present (absent facts are all-unknown) and the id and weight columns."""
    lazy = frame.lazy()
    names = set(lazy.collect_schema().names())
    missing = [
        pl.lit(None, dtype=dtype).alias(fid) for fid, dtype in population_schema(vocabulary).items() if fid not in names
    ]
    extra = []
    if ID_COLUMN not in names:
        extra.append(pl.int_range(pl.len()).cast(pl.String).alias(ID_COLUMN))
    if WEIGHT_COLUMN not in names:
        extra.append(pl.lit(1.0).alias(WEIGHT_COLUMN))
    return lazy.with_columns(missing + extra) if missing or extra else lazy
