"""The problems of a population file, each at its row and column, worded like the YAML profile checks.

Problems are found before they are located (`Found`: a row number, a column, how to word it); only the few that
are reported are then given their line (CSV, JSON lines) or row (Parquet) by a `Locator`, and the reason a bad
cell is bad is worked out in Python for those cells alone.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from ..compile.columns import ID_COLUMN
from ..errors import Problem, RegatlasError, nearest
from ..facts.vocabulary import Fact
from ..jurisdictions.registry import Registry
from .population_formats import csv_header, line_numbers
from .population_values import LIST_SEPARATOR, Check

ROW = "__row__"  # the 0-based record number in the file, kept until problems are located


def _items(value: object) -> list | None:
    """The Python twin of `text_list` for one reported value."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str):
        return None
    text = value
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return parsed if isinstance(parsed, list) else None
    return [item.strip() for item in text.split(LIST_SEPARATOR)]


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, str) and value != value.strip():
            return None  # cells are not trimmed
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _reason(fact: Fact, value: object, registry: Registry) -> tuple[str, str | None]:
    """(message, suggestion) for one bad cell, worded like the YAML profile checks."""
    if fact.type == "bool":
        return f"expected true or false, not {value!r}", None
    if fact.type == "number":
        number = _as_number(value)
        if number is None:
            return f"expected a number (e.g. 3.2e25), not {value!r}", None
        if math.isnan(number) or math.isinf(number):
            return f"expected a finite number, not {value!r}", None
        return f"must be at least {fact.minimum:g}, not {number:g}", None
    if fact.type == "enum":
        suggestion = nearest(value.strip(), fact.values) if isinstance(value, str) else None
        return f"{value!r} is not an allowed value", suggestion
    if fact.type == "date":
        if isinstance(value, dt.datetime):
            return f"expected a date, not the timestamp {value.isoformat()} (store the column as a date)", None
        return f"expected a date YYYY-MM-DD, not {value!r}", None
    items = _items(value)
    if items is None or not all(isinstance(item, str) for item in items):
        what = "values" if fact.type == "set" else "jurisdiction codes"
        return (
            f"expected a list of {what} (give the complete list, or leave it unknown), not {value!r}; "
            f"in text write them separated by '{LIST_SEPARATOR}' or as a JSON array, and [] for none",
            None,
        )
    if fact.type == "set":
        bad = next(item for item in items if item not in fact.values)
        return f"{bad!r} is not an allowed value", nearest(bad, fact.values)
    code = next(item for item in items if registry.normalise(item) is None)
    problem = registry.unknown(code)
    return problem.message, problem.suggestion


@dataclass
class Locator:
    path: Path
    kind: str
    total: int
    lines: dict[int, int] | None = None

    def prepare(self, rows: list[int]) -> None:
        if self.kind != "parquet" and rows:
            self.lines = line_numbers(self.path, self.kind, rows, self.total)

    def problem(self, message: str, row: int | None, column: str, **extra: Any) -> Problem:
        if row is None:
            line = 1 if self.kind == "csv" else None
            return Problem(message, str(self.path), line, column, **extra)
        if self.kind == "parquet":
            return Problem(message, str(self.path), None, f"row {row + 1}, column {column}", **extra)
        line = (self.lines or {}).get(row)
        return Problem(message, str(self.path), line, column, **extra)


@dataclass
class Found:
    """A problem before it is located: row (None for the whole column), column, and how to word it."""

    row: int | None
    order: int
    column: str
    make: Callable[[Locator, int | None], Problem]
    also_row: int | None = None  # another row the message names (the first holder of a duplicate id)


def duplicate_headers(path: Path) -> list[Found]:
    header = csv_header(path)
    seen, out = set(), []
    for name in header:
        if name in seen:
            out.append(Found(None, -1, name, lambda loc, row, n=name: loc.problem("column appears twice", row, n)))
        seen.add(name)
    return out


def bad_cell(check: Check, value: object, registry: Registry) -> Callable[[Locator, int | None], Problem]:
    name = check.column.name
    if check.fact is not None:
        message, suggestion = _reason(check.fact, value, registry)
        allowed = check.fact.describe_allowed()
    elif name == ID_COLUMN:
        message = "every row needs an id (text or a whole number)" if value in (None, "") else f"bad id {value!r}"
        suggestion, allowed = None, ["text or a number, unique per row"]
    else:
        shown = "nothing" if value is None or value == "" else repr(value)
        message, suggestion = f"weight must be a positive number, not {shown}", None
        allowed = ["a positive number (empty: 1)"]
    return lambda loc, row: loc.problem(message, row, name, allowed=allowed, suggestion=suggestion)


def duplicate_ids(clean: pl.DataFrame, order: dict[str, int]) -> list[Found]:
    if ID_COLUMN not in clean.columns:
        return []
    ids = clean.select(ROW, ID_COLUMN).drop_nulls()
    dup = ids.filter(pl.col(ID_COLUMN).is_duplicated())
    if dup.is_empty():
        return []
    first = dup.group_by(ID_COLUMN).agg(pl.col(ROW).min().alias("first"))
    later = dup.join(first, on=ID_COLUMN).filter(pl.col(ROW) != pl.col("first")).sort(ROW)
    out = []
    for row, ident, first_row in later.select(ROW, ID_COLUMN, "first").iter_rows():
        out.append(Found(row, order[ID_COLUMN], ID_COLUMN, _duplicate(ident, first_row), first_row))
    return out


def _duplicate(ident: str, first_row: int) -> Callable[..., Problem]:
    def make(loc: Locator, row: int | None) -> Problem:
        where = loc.problem("", first_row, ID_COLUMN)
        other = f"line {where.line}" if loc.kind != "parquet" else f"row {first_row + 1}"
        return loc.problem(f"duplicate id {ident!r} (also on {other})", row, ID_COLUMN)

    return make


def located_error(found: list[Found], uncounted: int, max_problems: int, locator: Locator) -> RegatlasError:
    found.sort(key=lambda f: (-1 if f.row is None else f.row, f.order, f.column))
    shown = found[:max_problems]
    locator.prepare([r for f in shown for r in (f.row, f.also_row) if r is not None])
    problems = [f.make(locator, f.row) for f in shown]
    more = len(found) - len(shown) + uncounted
    if more:
        problems.append(Problem(f"... and {more} more problem{'s' if more != 1 else ''}", str(locator.path)))
    return RegatlasError(problems)
