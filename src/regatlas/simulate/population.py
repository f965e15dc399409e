"""Load a population of AI-system profiles from Parquet, CSV or JSON lines, validated like a YAML profile.

Every row obeys the rules of `regatlas.facts.profile` (same facts, same value types, null or `unknown` for
unknown, no defaults), but validation is vectorized: each column is checked with Polars expressions, and
lookups (jurisdiction codes, derived facts) run once per distinct value, never once per row.
The result follows `regatlas.simulate.columns`. docs/population-files.md describes the formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from ..errors import Problem, RegatlasError, nearest
from ..facts.profile import META_KEYS, UNKNOWN, FactValue
from ..facts.vocabulary import Fact, Vocabulary
from ..jurisdictions.registry import Registry
from .columns import ID_COLUMN, WEIGHT_COLUMN, fact_dtype

if TYPE_CHECKING:
    from ..rules.pack import Pack

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FORMAT_NAMES = {"parquet": "Parquet", "csv": "CSV", "jsonl": "JSON lines"}
IGNORED_COLUMNS = META_KEYS  # ("name", "description"): allowed, and dropped
# The text spellings of true and false: the same six a YAML profile accepts.
# Text spellings of true and false: `true` and `false` in any letter case (as the CSV reader parses them).
LIST_SEPARATOR = ";"
_ROW = "__row__"  # the 0-based record number in the file, kept until problems are located
# A JSON array of strings, as text: ["DE", "US"] or []. Items may not contain quotes or backslashes.
_JSON_ARRAY = r'^\[\s*(?:"[^"\\]*"(?:\s*,\s*"[^"\\]*")*)?\s*\]$'
_CSV_PARSED = {"bool": pl.Boolean(), "number": pl.Float64()}
_NUMERIC = (pl.Float32, pl.Float64, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


# --------------------------------------------------------------------------------------------- reading


def _format(path: Path) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise RegatlasError(
            Problem(
                f"unsupported population file type '{path.suffix or '(none)'}'",
                str(path),
                allowed=[f"{ext} ({FORMAT_NAMES[k]})" for ext, k in FORMATS.items()],
            )
        )
    return kind


def _sniff(path: Path) -> str | None:
    """What the first bytes say the file is: 'parquet', 'jsonl', or None (no opinion)."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _Retry(Exception):
    """The typed CSV read met a cell it could not parse, or found problems: read every cell as text."""


def _scan(path: Path, kind: str, typed: Vocabulary | None = None) -> pl.LazyFrame:
    """A lazy frame over the file with its schema resolved; RegatlasError when it cannot be read.

    With `typed` (CSV only), the reader parses bool and number facts itself and reads `unknown` as null:
    much faster than checking text, and it fails (so the caller falls back to text) on any other spelling.
    """
    if not path.exists():
        raise RegatlasError(Problem("population file not found", str(path)))
    if not path.is_file():
        raise RegatlasError(Problem("not a file", str(path)))
    if path.stat().st_size == 0:
        raise RegatlasError(Problem("the file is empty", str(path)))
    sniffed = _sniff(path)
    if sniffed is not None and sniffed != kind:
        raise RegatlasError(
            Problem(
                f"this looks like a {FORMAT_NAMES[sniffed]} file, but its name ends in {path.suffix}",
                str(path),
                allowed=[ext for ext, k in FORMATS.items() if k == sniffed],
            )
        )
    try:
        if kind == "parquet":
            lazy = pl.scan_parquet(path)
        elif kind == "csv":
            lazy = pl.scan_csv(path, infer_schema=False)  # every cell as text: spellings are checked here
            if typed is not None:
                facts = [typed[n] for n in lazy.collect_schema().names() if n in typed]
                parsed = {f.id: _CSV_PARSED[f.type] for f in facts if f.type in _CSV_PARSED}
                nulls = {f.id: UNKNOWN for f in facts}
                lazy = pl.scan_csv(path, infer_schema=False, schema_overrides=parsed, null_values=nulls)
        else:
            lazy = pl.scan_ndjson(path, infer_schema_length=None)
        lazy.collect_schema()
    except Exception as exc:  # any reader failure is a problem with the user's file
        raise RegatlasError(_read_problem(path, kind, exc)) from None
    return lazy


def _read_problem(path: Path, kind: str, exc: BaseException) -> Problem:
    if kind == "jsonl":
        bad = _bad_json_line(path)
        if bad is not None:
            return bad
    return Problem(f"cannot read as {FORMAT_NAMES[kind]}: {_first_line(exc)}", str(path))


def _bad_json_line(path: Path) -> Problem | None:
    """The first line that is not a JSON object (only runs after the fast reader has failed)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except RecursionError:  # the JSON decoder recurses once per level of nesting
                return Problem("not valid JSON: nested too deep", str(path), number)
            except ValueError as exc:
                return Problem(f"not valid JSON: {_first_line(exc)}", str(path), number)
            if not isinstance(value, dict):
                return Problem("each line must be one JSON object (one system)", str(path), number)
    return None


def _collect(lazy: pl.LazyFrame, path: Path, kind: str, typed: bool = False) -> pl.DataFrame:
    try:
        return lazy.collect()
    except Exception as exc:
        if typed:
            raise _Retry from None
        raise RegatlasError(_read_problem(path, kind, exc)) from None


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return next(csv.reader(handle), [])


# --------------------------------------------------------------------------------------------- columns


@dataclass
class _Column:
    name: str  # the dotted fact id, or id / weight
    expr: pl.Expr  # the raw value, from the file
    source: str  # how the file names it (for "given twice" messages)
    key: str = ""  # the working column's name: the fact id, or a variant when nested and dotted both give it


def _flatten(schema: pl.Schema) -> list[_Column]:
    """Top-level columns, with struct columns (nested input) opened one level into `group.field`."""
    out = []
    for name, dtype in schema.items():
        if name in IGNORED_COLUMNS:
            continue
        if isinstance(dtype, pl.Struct) and "." not in name:
            for sub in dtype.fields:
                out.append(_Column(f"{name}.{sub.name}", pl.col(name).struct.field(sub.name), f"{name} -> {sub.name}"))
        else:
            out.append(_Column(name, pl.col(name), name))
    return out


# --------------------------------------------------------------------------------------------- values
#
# For each column: `clean` is the value in the column convention, null when unknown *or invalid*;
# `given` says the file gave a value (not null, not empty, not "unknown"). A cell is bad when given and
# its clean value is null. The reason is worked out afterwards, in Python, for the few cells reported.


def _text(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.String | pl.Categorical | pl.Enum)


def _given(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if _text(dtype):
        text = raw.cast(pl.String)  # cells are taken as written: no trimming (comparisons stay cheap)
        return text.is_not_null() & (text != "") & (text != UNKNOWN)
    if isinstance(dtype, pl.Null):
        return pl.lit(False)
    return raw.is_not_null()


def _null(dtype: pl.DataType) -> pl.Expr:
    return pl.lit(None, dtype=dtype)


def _number(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr | None:
    if isinstance(dtype, (*_NUMERIC, pl.Decimal)):
        return raw.cast(pl.Float64)
    if _text(dtype):
        return raw.cast(pl.String).cast(pl.Float64, strict=False)
    return None


@dataclass(frozen=True)
class _Hints:
    """What a text column holds, so list parsing skips the work no cell needs."""

    json: bool = True  # some cell starts with "["
    spaces: bool = True  # some cell holds a space


def _hints(raw: pl.DataFrame, name: str) -> _Hints:
    if not _text(raw.schema[name]):
        return _Hints()
    text = pl.col(name).cast(pl.String)
    json_, spaces = raw.select(
        text.str.starts_with("[").any().alias("j"), text.str.contains(" ", literal=True).any().alias("s")
    ).row(0)
    return _Hints(bool(json_), bool(spaces))


def _text_list(raw: pl.Expr, dtype: pl.DataType, hints: _Hints) -> pl.Expr | None:
    """A list of strings from a list column or from text (`a;b`, or a JSON array `["a", "b"]`)."""
    if isinstance(dtype, pl.List):
        inner = dtype.inner
        if _text(inner) or isinstance(inner, pl.Null):
            return raw.cast(pl.List(pl.String))
        return None
    if not _text(dtype):
        return None
    text = raw.cast(pl.String)
    as_separated = text.str.split(LIST_SEPARATOR)
    if hints.spaces:
        as_separated = as_separated.list.eval(pl.element().str.strip_chars())
    if not hints.json:
        return as_separated
    as_json = text.str.extract_all(r'"[^"\\]*"').list.eval(pl.element().str.strip_chars('"'))
    return (
        pl.when(text.str.starts_with("["))
        .then(pl.when(text.str.contains(_JSON_ARRAY)).then(as_json))
        .otherwise(as_separated)
    )


def _all_items(items: pl.Expr, condition: pl.Expr) -> pl.Expr:
    """True when every item of the list meets the condition (an empty list does)."""
    return items.list.eval(condition).list.all()


@dataclass
class _Check:
    column: _Column
    fact: Fact | None  # None for id and weight
    clean: pl.Expr
    given: pl.Expr


def _fact_check(column: _Column, fact: Fact, dtype: pl.DataType, codes: dict[str, str | None], hints: _Hints) -> _Check:
    raw, target = column.expr, fact_dtype(fact)
    clean: pl.Expr | None = None
    if fact.type == "bool":
        if isinstance(dtype, pl.Boolean):
            clean = raw
        elif _text(dtype):
            text = raw.cast(pl.String)
            lower = text.str.to_lowercase()
            clean = pl.when(lower == "true").then(True).when(lower == "false").then(False)
    elif fact.type == "number":
        number = _number(raw, dtype)
        if number is not None:
            ok = number.is_finite() & (number >= fact.minimum if fact.minimum is not None else pl.lit(True))
            clean = pl.when(ok).then(number)
    elif fact.type == "enum":
        if _text(dtype):
            text = raw.cast(pl.String)
            clean = pl.when(text.is_in(list(fact.values))).then(text).cast(target)
    elif fact.type == "date":
        if isinstance(dtype, pl.Date):
            clean = raw
        elif _text(dtype):
            text = raw.cast(pl.String)
            exact = (text.str.len_bytes() == 10) & (text.str.slice(4, 1) == "-") & (text.str.slice(7, 1) == "-")
            clean = pl.when(exact).then(text.str.to_date("%Y-%m-%d", strict=False))
    else:
        items = _text_list(raw, dtype, hints)
        if items is not None and fact.type == "set":
            ok = _all_items(items, pl.element().is_in(list(fact.values)) & pl.element().is_not_null())
            clean = pl.when(ok).then(items)
        elif items is not None:
            canonical = items.list.eval(pl.element().replace_strict(codes, default=None, return_dtype=pl.String))
            ok = _all_items(canonical, pl.element().is_not_null())
            clean = pl.when(ok).then(canonical)
    clean = _null(target) if clean is None else clean.cast(target)
    return _Check(column, fact, clean.alias(column.key), _given(raw, dtype))


def _id_check(column: _Column, dtype: pl.DataType) -> _Check:
    ok = _text(dtype) or isinstance(dtype, _NUMERIC)
    text = column.expr.cast(pl.String) if ok else _null(pl.String())
    clean = pl.when(text != "").then(text)
    return _Check(column, None, clean.alias(column.key), pl.lit(True))


def _weight_check(column: _Column, dtype: pl.DataType) -> _Check:
    """An empty weight is the default 1; anything written must be a positive finite number."""
    number = _number(column.expr, dtype)
    given = column.expr.is_not_null()
    if _text(dtype):
        given = given & (column.expr.cast(pl.String) != "")
    valid = _null(pl.Float64()) if number is None else pl.when(number.is_finite() & (number > 0)).then(number)
    clean = pl.when(given).then(valid).otherwise(pl.lit(1.0))
    return _Check(column, None, clean.alias(column.key), given)


# --------------------------------------------------------------------------------------------- reasons


def _items(value: object) -> list | None:
    """The Python twin of `_text_list` for one reported value."""
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


# --------------------------------------------------------------------------------------------- locations


def _line_numbers(path: Path, kind: str, rows: list[int], total: int) -> dict[int, int]:
    """Record number (0-based) -> line number, for the reported rows of a CSV or JSON-lines file."""
    first = 2 if kind == "csv" else 1  # CSV line 1 is the header
    with path.open("rb") as handle:
        data_lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))
        handle.seek(-1, 2)
        if handle.read(1) != b"\n":
            data_lines += 1
    data_lines -= first - 1
    if kind == "csv" and data_lines == total:
        return {row: row + first for row in rows}  # one record per line: the common case
    wanted, last, found = set(rows), max(rows), {}
    if kind == "csv":
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            start = reader.line_num + 1
            for record, _ in enumerate(reader):
                if record in wanted:
                    found[record] = start
                if record >= last:
                    break
                start = reader.line_num + 1
        return found
    record = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue  # the reader skips blank lines
            if record in wanted:
                found[record] = number
            if record >= last:
                break
            record += 1
    return found


@dataclass
class _Locator:
    path: Path
    kind: str
    total: int
    lines: dict[int, int] | None = None

    def prepare(self, rows: list[int]) -> None:
        if self.kind != "parquet" and rows:
            self.lines = _line_numbers(self.path, self.kind, rows, self.total)

    def problem(self, message: str, row: int | None, column: str, **extra: Any) -> Problem:
        if row is None:
            line = 1 if self.kind == "csv" else None
            return Problem(message, str(self.path), line, column, **extra)
        if self.kind == "parquet":
            return Problem(message, str(self.path), None, f"row {row + 1}, column {column}", **extra)
        line = (self.lines or {}).get(row)
        return Problem(message, str(self.path), line, column, **extra)


# --------------------------------------------------------------------------------------------- loading


@dataclass
class _Found:
    """A problem before it is located: row (None for the whole column), column, and how to word it."""

    row: int | None
    order: int
    column: str
    make: Callable[[_Locator, int | None], Problem]
    also_row: int | None = None  # another row the message names (the first holder of a duplicate id)


def load_population(path: Path, pack: Pack, as_of: dt.date | None = None, max_problems: int = 20) -> pl.DataFrame:
    """Read and validate a population file; raise RegatlasError listing its problems (at most max_problems).

    Returns one row per system: `id` (String), `weight` (Float64) and one column per fact the file gives,
    named by its dotted id and typed by `columns.fact_dtype`; null is unknown. With `as_of`, a row that gives
    both a derived fact and the list it follows from must agree on that date (as `derive_facts` checks).
    """
    path = Path(path)
    kind = _format(path)
    if kind == "csv":
        try:
            return _load(path, kind, pack, as_of, max_problems, typed=True)
        except _Retry:
            pass  # a bad or unusual cell: check every cell as text, to word each problem
    return _load(path, kind, pack, as_of, max_problems, typed=False)


def _load(path: Path, kind: str, pack: Pack, as_of: dt.date | None, max_problems: int, typed: bool) -> pl.DataFrame:
    vocabulary: Vocabulary = pack.vocabulary
    registry: Registry = pack.registry
    lazy = _scan(path, kind, vocabulary if typed else None)
    schema = lazy.collect_schema()
    found: list[_Found] = []
    order = {name: i for i, name in enumerate([ID_COLUMN, WEIGHT_COLUMN, *vocabulary.facts])}

    columns = _known_columns(_flatten(schema), vocabulary, kind, path, found)
    # problems in one row come in the file's column order
    problem_order = {n: i for i, n in enumerate(dict.fromkeys([ID_COLUMN, WEIGHT_COLUMN, *(c.name for c in columns)]))}
    if kind == "csv":
        found += _duplicate_headers(path)
    lazy = lazy.with_row_index(_ROW)
    raw = _collect(lazy.select(pl.col(_ROW), *[c.expr.alias(c.key) for c in columns]), path, kind, typed)
    records = raw.height  # blank CSV lines included: they take a line
    if kind == "csv" and raw.width > 1:  # blank lines (every cell empty) are not systems
        blank = raw.select(pl.all_horizontal(pl.all().exclude(_ROW).is_null())).to_series()
        if blank.any():
            if typed:
                raise _Retry  # the typed read turned `unknown` into null: only text tells blank from unknown
            raw = raw.filter(~blank)
    if raw.height == 0:
        raise RegatlasError(Problem("the file holds no systems (no data rows)", str(path)))
    locator = _Locator(path, kind, records)

    codes = _code_map(raw, columns, vocabulary, registry)
    checks = [_check(c, vocabulary, raw, codes) for c in columns]
    clean = raw.select(pl.col(_ROW), *[c.clean for c in checks])
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
        for row, value in zip(raw[_ROW].gather(index).to_list(), values, strict=True):
            found.append(_Found(row, problem_order[name], name, _bad_cell(check, value, registry)))
        total -= len(index)  # counted again below as found
    clean, twice = _merge(clean, given, columns, problem_order, max_problems)
    found += twice
    clean = _dedupe(clean)
    found += _duplicate_ids(clean, problem_order)
    if as_of is not None:
        found += _contradictions(clean, vocabulary, registry, as_of, problem_order)
    if found:
        if typed:
            raise _Retry
        raise _problems(found, total, max_problems, locator)

    ordered = sorted(clean.columns[1:], key=lambda n: order[n])
    extra = []
    if ID_COLUMN not in clean.columns:
        extra.append(pl.int_range(pl.len()).cast(pl.String).alias(ID_COLUMN))
    if WEIGHT_COLUMN not in clean.columns:
        extra.append(pl.lit(1.0).alias(WEIGHT_COLUMN))
    out = clean.with_columns(extra).drop(_ROW)
    return out.select([ID_COLUMN, WEIGHT_COLUMN] + [n for n in ordered if n not in (ID_COLUMN, WEIGHT_COLUMN)])


def _known_columns(
    columns: list[_Column], vocabulary: Vocabulary, kind: str, path: Path, found: list[_Found]
) -> list[_Column]:
    known: list[_Column] = []
    keys: set[str] = set()
    names = [ID_COLUMN, WEIGHT_COLUMN, *vocabulary.facts]
    header = set(_csv_header(path)) if kind == "csv" else set()
    for column in columns:
        name = column.name
        if kind == "csv" and name not in header and re.search(r"_duplicated_\d+$", name):
            continue  # the reader's name for a repeated header: reported by _duplicate_headers
        if name not in vocabulary and name not in (ID_COLUMN, WEIGHT_COLUMN):
            group = name.split(".", 1)[0]
            in_group = [f for f in vocabulary.facts if f.startswith(group + ".")]
            allowed = in_group if 0 < len(in_group) <= 40 else []
            extra = {"suggestion": nearest(name, names), "allowed": allowed}
            found.append(
                _Found(
                    None, -1, name, lambda loc, row, n=name, e=extra: loc.problem("unknown fact column", row, n, **e)
                )
            )
            continue
        column.key = name
        while column.key in keys:
            column.key += "#"
        keys.add(column.key)
        known.append(column)
    return known


def _duplicate_headers(path: Path) -> list[_Found]:
    header = _csv_header(path)
    seen, out = set(), []
    for name in header:
        if name in seen:
            out.append(_Found(None, -1, name, lambda loc, row, n=name: loc.problem("column appears twice", row, n)))
        seen.add(name)
    return out


def _dedupe(clean: pl.DataFrame) -> pl.DataFrame:
    """Lists are sets: drop repeated items (only in the columns that have any)."""
    lists = [name for name, dtype in clean.schema.items() if isinstance(dtype, pl.List)]
    if not lists:
        return clean
    flags = clean.select((pl.col(n).list.n_unique() < pl.col(n).list.len()).any() for n in lists).row(0)
    repeated = [name for name, flag in zip(lists, flags, strict=True) if flag]
    return clean.with_columns(pl.col(repeated).list.unique(maintain_order=True)) if repeated else clean


def _check(column: _Column, vocabulary: Vocabulary, raw: pl.DataFrame, codes: dict[str, str | None]) -> _Check:
    dtype = raw.schema[column.key]
    working = _Column(column.name, pl.col(column.key), column.source, column.key)
    if column.name == ID_COLUMN:
        return _id_check(working, dtype)
    if column.name == WEIGHT_COLUMN:
        return _weight_check(working, dtype)
    fact = vocabulary[column.name]
    hints = _hints(raw, column.key) if fact.type in ("set", "jurisdictions") else _Hints()
    return _fact_check(working, fact, dtype, codes, hints)


def _merge(
    clean: pl.DataFrame, given: pl.DataFrame, columns: list[_Column], order: dict[str, int], max_problems: int
) -> tuple[pl.DataFrame, list[_Found]]:
    """One column per fact where nested and dotted spellings both appear; a row may give it only once."""
    groups: dict[str, list[_Column]] = {}
    for column in columns:
        groups.setdefault(column.name, []).append(column)
    found: list[_Found] = []
    merged = []
    for name, group in groups.items():
        if len(group) == 1:
            continue
        count = pl.sum_horizontal(*[given[c.key].cast(pl.UInt8) for c in group])
        rows = clean.select(_ROW).filter(given.select(count.alias("n"))["n"] > 1)[_ROW].head(max_problems).to_list()
        sources = " and ".join(repr(c.source) for c in group)
        message = f"given twice in this row (as {sources}): give it once"
        for row in rows:
            found.append(
                _Found(row, order.get(name, len(order)), name, lambda loc, r, m=message, n=name: loc.problem(m, r, n))
            )
        merged.append(pl.coalesce([c.key for c in group]).alias(name))
    if not merged:
        return clean, found
    extra = [c.key for group in groups.values() if len(group) > 1 for c in group if c.key != c.name]
    return clean.with_columns(merged).drop(extra), found


def _code_map(
    raw: pl.DataFrame, columns: list[_Column], vocabulary: Vocabulary, registry: Registry
) -> dict[str, str | None]:
    """Every distinct jurisdiction code written in the file -> its canonical code (None when unknown)."""
    lists = []
    for column in columns:
        if column.name in vocabulary and vocabulary[column.name].type == "jurisdictions":
            items = _text_list(pl.col(column.key), raw.schema[column.key], _hints(raw, column.key))
            if items is not None:
                lists.append(raw.select(items.explode().drop_nulls().unique().alias("code"))["code"])
    distinct = pl.concat(lists).unique().to_list() if lists else []
    return {code: registry.normalise(code) for code in distinct}


def _bad_cell(check: _Check, value: object, registry: Registry) -> Callable[[_Locator, int | None], Problem]:
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


def _duplicate_ids(clean: pl.DataFrame, order: dict[str, int]) -> list[_Found]:
    if ID_COLUMN not in clean.columns:
        return []
    ids = clean.select(_ROW, ID_COLUMN).drop_nulls()
    dup = ids.filter(pl.col(ID_COLUMN).is_duplicated())
    if dup.is_empty():
        return []
    first = dup.group_by(ID_COLUMN).agg(pl.col(_ROW).min().alias("first"))
    later = dup.join(first, on=ID_COLUMN).filter(pl.col(_ROW) != pl.col("first")).sort(_ROW)
    out = []
    for row, ident, first_row in later.select(_ROW, ID_COLUMN, "first").iter_rows():
        out.append(_Found(row, order[ID_COLUMN], ID_COLUMN, _duplicate(ident, first_row), first_row))
    return out


def _duplicate(ident: str, first_row: int) -> Callable[..., Problem]:
    def make(loc: _Locator, row: int | None) -> Problem:
        where = loc.problem("", first_row, ID_COLUMN)
        other = f"line {where.line}" if loc.kind != "parquet" else f"row {first_row + 1}"
        return loc.problem(f"duplicate id {ident!r} (also on {other})", row, ID_COLUMN)

    return make


def _contradictions(
    clean: pl.DataFrame, vocabulary: Vocabulary, registry: Registry, day: dt.date, order: dict[str, int]
) -> list[_Found]:
    out = []
    for fact in vocabulary.facts.values():
        source = fact.derive_from
        if source is None or fact.id not in clean.columns or source not in clean.columns:
            continue
        codes = clean.select(pl.col(source).explode().drop_nulls().unique())[source].to_list()
        within = {code: registry.within(code, fact.derive_within, day) for code in codes}  # type: ignore[arg-type]
        value = pl.col(source).list.eval(pl.element().replace_strict(within, return_dtype=pl.Boolean)).list.any()
        both = clean.select(_ROW, fact.id, source).filter(pl.col(fact.id).is_not_null() & pl.col(source).is_not_null())
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
                _Found(
                    row,
                    order[fact.id],
                    fact.id,
                    lambda loc, row, m=message, a=allowed, f=fact.id: loc.problem(m, row, f, allowed=a),
                )
            )
    return out


def _problems(found: list[_Found], uncounted: int, max_problems: int, locator: _Locator) -> RegatlasError:
    found.sort(key=lambda f: (-1 if f.row is None else f.row, f.order, f.column))
    shown = found[:max_problems]
    locator.prepare([r for f in shown for r in (f.row, f.also_row) if r is not None])
    problems = [f.make(locator, f.row) for f in shown]
    more = len(found) - len(shown) + uncounted
    if more:
        problems.append(Problem(f"... and {more} more problem{'s' if more != 1 else ''}", str(locator.path)))
    return RegatlasError(problems)


# --------------------------------------------------------------------------------------------- rows


def row_facts(frame: pl.DataFrame, index: int, vocabulary: Vocabulary) -> dict[str, FactValue]:
    """One row as a profile's facts dict (unknown facts left out; lists as frozensets)."""
    row = frame.row(index, named=True)
    facts: dict[str, FactValue] = {}
    for name, value in row.items():
        if name not in vocabulary or value is None:
            continue
        facts[name] = frozenset(value) if isinstance(value, list) else value
    return facts
