"""Polars columns from numpy arrays: a value per row, and a mask of the rows where the value is known.

Columns are built through Arrow with the mask as the validity bitmap, so an unknown cell is null whatever the
drawn value under it was (the layout of `regatlas.compile.columns`).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from ..compile.columns import ID_COLUMN, fact_dtype
from ..facts.vocabulary import Fact


def bool_column(values: np.ndarray, known: np.ndarray) -> pl.Series:
    return pl.from_arrow(pa.array(values, type=pa.bool_(), mask=~known))  # type: ignore[return-value]


def float_column(values: np.ndarray, known: np.ndarray) -> pl.Series:
    return pl.from_arrow(pa.array(values.astype(np.float64), type=pa.float64(), mask=~known))  # type: ignore[return-value]


def date_column(days: np.ndarray, known: np.ndarray) -> pl.Series:
    return pl.from_arrow(pa.array(days.astype(np.int32), type=pa.date32(), mask=~known))  # type: ignore[return-value]


def enum_column(fact: Fact, index: np.ndarray, known: np.ndarray) -> pl.Series:
    categories = pl.Series(list(fact.values), dtype=fact_dtype(fact))
    idx = pl.from_arrow(pa.array(index.astype(np.uint32), type=pa.uint32(), mask=~known))
    return categories.gather(idx)  # type: ignore[arg-type]


def list_column(matrix: np.ndarray, labels: list[str], known: np.ndarray) -> pl.Series:
    """A List(String) column from a rows x labels yes/no matrix (labels in matrix column order)."""
    rows, cols = np.nonzero(matrix)
    counts = np.bincount(rows, minlength=matrix.shape[0])
    offsets = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    values = pl.Series(labels, dtype=pl.String).gather(cols.astype(np.uint32))
    array = pa.LargeListArray.from_arrays(pa.array(offsets), values.to_arrow(), mask=pa.array(~known))
    return pl.from_arrow(array).cast(pl.List(pl.String))  # type: ignore[union-attr]


def id_column(start: int, n: int) -> pl.Series:
    """Row ids sys-0000000, sys-0000001, ... numbered from `start` (the rows of earlier chunks)."""
    numbers = pl.int_range(start, start + n, eager=True).cast(pl.String).str.zfill(7)
    return pl.select(pl.lit("sys-") + pl.lit(numbers)).to_series().alias(ID_COLUMN)
