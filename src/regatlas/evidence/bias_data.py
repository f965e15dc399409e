"""Reading a bias audit's data: one row per candidate, CSV or Parquet, checked cell by cell.

Every problem names the file, the row (the CSV line, or the Parquet row counted from 1) and the column, so a
bad file is fixed where it is wrong: `data.csv:14: column selected: 'maybe' is not yes/no, true/false or
1/0`. An empty category cell is not an error: the rule asks for the number of individuals in an unknown
category, so a missing value is kept (as null) and counted, never dropped. An empty outcome is an error: a
candidate the tool assessed has an outcome, and one without cannot be put in any rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..csvlines import record_lines
from ..errors import Problem, RegatlasError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
TRUE_WORDS = frozenset({"yes", "true", "1", "y", "t"})
FALSE_WORDS = frozenset({"no", "false", "0", "n", "f"})
# Cells read as an unknown category besides an empty one: the spellings HR exports use for "not disclosed".
UNKNOWN_WORDS = frozenset({"unknown", "not disclosed", "prefer not to say", "declined", "na", "n/a"})
MAX_PROBLEMS = 20  # the first bad cells, then how many more: thousands of lines would bury the first ones


@dataclass(frozen=True)
class AuditData:
    """The checked data: category columns as text (null: unknown), the outcome as bool or float."""

    frame: pl.DataFrame
    path: Path
    categories: tuple[str, ...]
    outcome: str


def read_audit_data(path: Path, categories: list[str], outcome: str, method: str) -> AuditData:
    """Read and check the file: every category and the outcome column present, every outcome well formed."""
    frame = _read(path)
    _check_columns(path, frame, categories, outcome)
    if frame.height == 0:
        raise RegatlasError(Problem("no candidates: the file has a header but no rows", str(path)))
    _check_types(path, frame, [*categories, outcome])
    cleaned = frame.select(
        *(_category(frame.get_column(name)).alias(name) for name in categories),
        _outcome(path, frame.get_column(outcome), method).alias(outcome),
    )
    return AuditData(cleaned, path, tuple(categories), outcome)


def _read(path: Path) -> pl.DataFrame:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        allowed = [f"{ext} ({name})" for ext, name in FORMATS.items()]
        raise RegatlasError(Problem(f"unknown file type '{path.suffix}'", str(path), allowed=allowed))
    if not path.is_file():
        raise RegatlasError(Problem("file not found" if not path.exists() else "not a file", str(path)))
    if path.stat().st_size == 0:
        raise RegatlasError(Problem("the file is empty: expected a header line and one row per candidate", str(path)))
    try:
        if kind == "parquet":
            return pl.read_parquet(path)
        return pl.read_csv(path, infer_schema=False)  # every cell as text: spellings are checked here
    except Exception as exc:  # any reader failure is a problem with the user's file, never a traceback
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RegatlasError(Problem(f"cannot read as {kind.upper()}: {reason}", str(path))) from None


RESERVED = frozenset({"_positive", "_category"})  # the names bias_audit computes beside the data's columns


def _check_columns(path: Path, frame: pl.DataFrame, categories: list[str], outcome: str) -> None:
    if outcome in categories:
        raise RegatlasError(Problem(f"'{outcome}' cannot be both a category and the outcome", path="--outcome"))
    reserved = RESERVED.intersection([*categories, outcome])
    if reserved:
        raise RegatlasError(Problem(f"column name '{min(reserved)}' is reserved; rename the column", str(path)))
    present = frame.columns
    problems = [
        Problem(f"no column '{name}' ({role}); the columns are: {', '.join(present)}", str(path))
        for name, role in [*((c, "a category") for c in categories), (outcome, "the outcome")]
        if name not in present
    ]
    if problems:
        raise RegatlasError(problems)


def _check_types(path: Path, frame: pl.DataFrame, names: list[str]) -> None:
    """Parquet can hold lists, structs, dates...: a column of those is refused by name, not cast into a traceback."""
    problems = [
        Problem(f"column {name} holds {dtype}; expected text, numbers or true/false", str(path))
        for name in names
        for dtype in [frame.schema[name]]
        if not (dtype.is_numeric() or dtype in (pl.String, pl.Boolean, pl.Categorical) or isinstance(dtype, pl.Enum))
    ]
    if problems:
        raise RegatlasError(problems)


def _category(column: pl.Series) -> pl.Series:
    """Text with surrounding spaces removed; empty cells and the spellings of "unknown" become null."""
    text = column.cast(pl.String).str.strip_chars()
    unknown = text.str.to_lowercase().is_in(list(UNKNOWN_WORDS)) | (text == "")
    return pl.select(pl.when(unknown).then(None).otherwise(text)).to_series()


def _outcome(path: Path, column: pl.Series, method: str) -> pl.Series:
    return _selected(path, column) if method == "selection" else _score(path, column)


def _selected(path: Path, column: pl.Series) -> pl.Series:
    if column.dtype == pl.Boolean:
        values = column
    elif column.dtype.is_numeric():
        values = pl.select(pl.when(column == 1).then(True).when(column == 0).then(False)).to_series()
    else:
        words = column.cast(pl.String).str.strip_chars().str.to_lowercase()
        values = pl.select(
            pl.when(words.is_in(list(TRUE_WORDS))).then(True).when(words.is_in(list(FALSE_WORDS))).then(False)
        ).to_series()
    _refuse(path, column, values.is_null(), "is not yes/no, true/false or 1/0")
    return values


def _score(path: Path, column: pl.Series) -> pl.Series:
    if column.dtype.is_numeric():
        values = column.cast(pl.Float64)
    else:
        values = column.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
    bad = values.is_null() | ~values.is_finite()
    _refuse(path, column, bad.fill_null(True), "is not a number")
    return values


def _refuse(path: Path, column: pl.Series, bad: pl.Series, what: str) -> None:
    """Raise one problem per bad cell (the first MAX_PROBLEMS), each at its row."""
    rows = bad.arg_true().to_list()
    if not rows:
        return
    shown = rows[:MAX_PROBLEMS]
    places = _places(path, shown, column.len())
    problems = [
        Problem(_cell_message(column, row, what), str(path), line, f"{where}column {column.name}")
        for row in shown
        for line, where in [places[row]]
    ]
    if len(rows) > len(shown):
        problems.append(
            Problem(f"and {len(rows) - len(shown)} more bad values", str(path), path=f"column {column.name}")
        )
    raise RegatlasError(problems)


def _cell_message(column: pl.Series, row: int, what: str) -> str:
    value = column[row]
    if value is None or (isinstance(value, str) and not value.strip()):
        return "empty: every candidate needs an outcome"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    return f"{value!r} {what}"


def _places(path: Path, rows: list[int], total: int) -> dict[int, tuple[int | None, str]]:
    """Row index -> (CSV line, "") or (None, "row N: ") for Parquet, where lines mean nothing."""
    if path.suffix.lower() != ".csv":
        return {row: (None, f"row {row + 1}: ") for row in rows}
    lines = record_lines(path, set(rows))
    return {row: (lines.get(row), "") if row in lines else (None, f"row {row + 1}: ") for row in rows}
