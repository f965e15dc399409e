"""Load a population of AI-system profiles from Parquet, CSV or JSON lines, validated like a YAML profile.

Every row obeys the rules of `regatlas.facts.profile` (same facts, same value types, null or `unknown` for
unknown, no defaults), but validation is vectorized: each column is checked with Polars expressions, and
lookups (jurisdiction codes, derived facts) run once per distinct value, never once per row.
The result follows `regatlas.compile.columns`. docs/population-files.md describes the formats.

The parts: `population_formats` (reading each format), `population_values` (checking values against the
vocabulary), `population_problems` (each problem at its row and column), `population_places` (canonical codes,
derived place facts). This module loads a file through them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ..compile.columns import ID_COLUMN, WEIGHT_COLUMN
from ..errors import Problem, RegatlasError, nearest
from ..facts.profile import FactValue
from ..facts.vocabulary import Vocabulary
from ..jurisdictions.registry import Registry
from .population_formats import RetryAsText, collect, csv_header, format_of, scan
from .population_places import code_map, contradictions
from .population_problems import ROW, Found, Locator, bad_cell, duplicate_headers, duplicate_ids, located_error
from .population_values import Column, check_column, flatten

if TYPE_CHECKING:
    from ..rules.pack import Pack


def load_population(path: Path, pack: Pack, as_of: dt.date | None = None, max_problems: int = 20) -> pl.DataFrame:
    """Read and validate a population file; raise RegatlasError listing its problems (at most max_problems).

    Returns one row per system: `id` (String), `weight` (Float64) and one column per fact the file gives,
    named by its dotted id and typed by `columns.fact_dtype`; null is unknown. With `as_of`, a row that gives
    both a derived fact and the list it follows from must agree on that date (as `derive_facts` checks).
    """
    path = Path(path)
    kind = format_of(path)
    if kind == "csv":
        try:
            return _load(path, kind, pack, as_of, max_problems, typed=True)
        except RetryAsText:
            pass  # a bad or unusual cell: check every cell as text, to word each problem
    return _load(path, kind, pack, as_of, max_problems, typed=False)


def _load(path: Path, kind: str, pack: Pack, as_of: dt.date | None, max_problems: int, typed: bool) -> pl.DataFrame:
    vocabulary: Vocabulary = pack.vocabulary
    registry: Registry = pack.registry
    lazy = scan(path, kind, vocabulary if typed else None)
    schema = lazy.collect_schema()
    found: list[Found] = []
    order = {name: i for i, name in enumerate([ID_COLUMN, WEIGHT_COLUMN, *vocabulary.facts])}

    columns = _known_columns(flatten(schema), vocabulary, kind, path, found)
    # problems in one row come in the file's column order
    problem_order = {n: i for i, n in enumerate(dict.fromkeys([ID_COLUMN, WEIGHT_COLUMN, *(c.name for c in columns)]))}
    if kind == "csv":
        found += duplicate_headers(path)
    lazy = lazy.with_row_index(ROW)
    raw = collect(lazy.select(pl.col(ROW), *[c.expr.alias(c.key) for c in columns]), path, kind, typed)
    records = raw.height  # blank CSV lines included: they take a line
    if kind == "csv" and raw.width > 1:  # blank lines (every cell empty) are not systems
        blank = raw.select(pl.all_horizontal(pl.all().exclude(ROW).is_null())).to_series()
        if blank.any():
            if typed:
                raise RetryAsText  # the typed read turned `unknown` into null: only text tells blank from unknown
            raw = raw.filter(~blank)
    if raw.height == 0:
        raise RegatlasError(Problem("the file holds no systems (no data rows)", str(path)))
    locator = Locator(path, kind, records)

    codes = code_map(raw, columns, vocabulary, registry)
    checks = [check_column(c, vocabulary, raw, codes) for c in columns]
    clean = raw.select(pl.col(ROW), *[c.clean for c in checks])
    given = raw.select(*[c.given.alias(c.column.key) for c in checks])

    total = 0
    for check in checks:
        name, key = check.column.name, check.column.key
        bad = given[key] & clean[key].is_null()
        count = int(bad.sum())
        if not count:
            continue
        total += count
        index = bad.arg_true().head(max_problems + 1)
        values = raw[key].gather(index).to_list()
        for row, value in zip(raw[ROW].gather(index).to_list(), values, strict=True):
            found.append(Found(row, problem_order[name], name, bad_cell(check, value, registry)))
        total -= len(index)  # counted again below as found
    clean, twice = _merge(clean, given, columns, problem_order, max_problems)
    found += twice
    clean = _dedupe(clean)
    found += duplicate_ids(clean, problem_order)
    if as_of is not None:
        found += contradictions(clean, vocabulary, registry, as_of, problem_order)
    if found:
        if typed:
            raise RetryAsText
        raise located_error(found, total, max_problems, locator)

    ordered = sorted(clean.columns[1:], key=lambda n: order[n])
    extra = []
    if ID_COLUMN not in clean.columns:
        extra.append(pl.int_range(pl.len()).cast(pl.String).alias(ID_COLUMN))
    if WEIGHT_COLUMN not in clean.columns:
        extra.append(pl.lit(1.0).alias(WEIGHT_COLUMN))
    out = clean.with_columns(extra).drop(ROW)
    return out.select([ID_COLUMN, WEIGHT_COLUMN] + [n for n in ordered if n not in (ID_COLUMN, WEIGHT_COLUMN)])


def _known_columns(
    columns: list[Column], vocabulary: Vocabulary, kind: str, path: Path, found: list[Found]
) -> list[Column]:
    known: list[Column] = []
    keys: set[str] = set()
    names = [ID_COLUMN, WEIGHT_COLUMN, *vocabulary.facts]
    header = set(csv_header(path)) if kind == "csv" else set()
    for column in columns:
        name = column.name
        if kind == "csv" and name not in header and re.search(r"_duplicated_\d+$", name):
            continue  # the reader's name for a repeated header: reported by duplicate_headers
        if name not in vocabulary and name not in (ID_COLUMN, WEIGHT_COLUMN):
            group = name.split(".", 1)[0]
            in_group = [f for f in vocabulary.facts if f.startswith(group + ".")]
            allowed = in_group if 0 < len(in_group) <= 40 else []
            extra = {"suggestion": nearest(name, names), "allowed": allowed}
            found.append(
                Found(None, -1, name, lambda loc, row, n=name, e=extra: loc.problem("unknown fact column", row, n, **e))
            )
            continue
        column.key = name
        while column.key in keys:
            column.key += "#"
        keys.add(column.key)
        known.append(column)
    return known


def _dedupe(clean: pl.DataFrame) -> pl.DataFrame:
    """Lists are sets: drop repeated items (only in the columns that have any)."""
    lists = [name for name, dtype in clean.schema.items() if isinstance(dtype, pl.List)]
    if not lists:
        return clean
    repeated = [name for name in lists if _has_repeats(clean, name)]
    return clean.with_columns(pl.col(repeated).list.unique(maintain_order=True)) if repeated else clean


def _has_repeats(frame: pl.DataFrame, name: str) -> bool:
    """Does any row repeat an item of this list column? Found on the exploded (row, item) pairs: polars 2.1
    panics comparing list.n_unique() with list.len() on some columns (a 20-row cut of the bundled population)."""
    pairs = frame.select(pl.int_range(pl.len()).alias("_row"), pl.col(name)).explode(name).drop_nulls(name)
    return bool(pairs.is_duplicated().any())


def _merge(
    clean: pl.DataFrame, given: pl.DataFrame, columns: list[Column], order: dict[str, int], max_problems: int
) -> tuple[pl.DataFrame, list[Found]]:
    """One column per fact where nested and dotted spellings both appear; a row may give it only once."""
    groups: dict[str, list[Column]] = {}
    for column in columns:
        groups.setdefault(column.name, []).append(column)
    found: list[Found] = []
    merged = []
    for name, group in groups.items():
        if len(group) == 1:
            continue
        count = pl.sum_horizontal(*[given[c.key].cast(pl.UInt8) for c in group])
        rows = clean.select(ROW).filter(given.select(count.alias("n"))["n"] > 1)[ROW].head(max_problems).to_list()
        sources = " and ".join(repr(c.source) for c in group)
        message = f"given twice in this row (as {sources}): give it once"
        for row in rows:
            found.append(
                Found(row, order.get(name, len(order)), name, lambda loc, r, m=message, n=name: loc.problem(m, r, n))
            )
        merged.append(pl.coalesce([c.key for c in group]).alias(name))
    if not merged:
        return clean, found
    extra = [c.key for group in groups.values() if len(group) > 1 for c in group if c.key != c.name]
    return clean.with_columns(merged).drop(extra), found


def row_facts(frame: pl.DataFrame, index: int, vocabulary: Vocabulary) -> dict[str, FactValue]:
    """One row as a profile's facts dict (unknown facts left out; lists as frozensets)."""
    row = frame.row(index, named=True)
    facts: dict[str, FactValue] = {}
    for name, value in row.items():
        if name not in vocabulary or value is None:
            continue
        facts[name] = frozenset(value) if isinstance(value, list) else value
    return facts
