"""Checking a population's cells against the vocabulary, a column at a time with Polars expressions.

For each column: `clean` is the value in the column convention, null when unknown *or invalid*;
`given` says the file gave a value (not null, not empty, not "unknown"). A cell is bad when given and
its clean value is null. The reason is worked out afterwards, in Python, for the few cells reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..compile.columns import ID_COLUMN, WEIGHT_COLUMN, fact_dtype
from ..facts.profile import META_KEYS, UNKNOWN
from ..facts.vocabulary import Fact, Vocabulary

IGNORED_COLUMNS = META_KEYS  # ("name", "description"): allowed, and dropped
LIST_SEPARATOR = ";"
# A JSON array of strings, as text: ["DE", "US"] or []. Items may not contain quotes or backslashes.
_JSON_ARRAY = r'^\[\s*(?:"[^"\\]*"(?:\s*,\s*"[^"\\]*")*)?\s*\]$'
_NUMERIC = (pl.Float32, pl.Float64, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


@dataclass
class Column:
    name: str  # the dotted fact id, or id / weight
    expr: pl.Expr  # the raw value, from the file
    source: str  # how the file names it (for "given twice" messages)
    key: str = ""  # the working column's name: the fact id, or a variant when nested and dotted both give it


def flatten(schema: pl.Schema) -> list[Column]:
    """Top-level columns, with struct columns (nested input) opened one level into `group.field`."""
    out = []
    for name, dtype in schema.items():
        if name in IGNORED_COLUMNS:
            continue
        if isinstance(dtype, pl.Struct) and "." not in name:
            for sub in dtype.fields:
                out.append(Column(f"{name}.{sub.name}", pl.col(name).struct.field(sub.name), f"{name} -> {sub.name}"))
        else:
            out.append(Column(name, pl.col(name), name))
    return out


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
class Hints:
    """What a text column holds, so list parsing skips the work no cell needs."""

    json: bool = True  # some cell starts with "["
    spaces: bool = True  # some cell holds a space


def text_hints(raw: pl.DataFrame, name: str) -> Hints:
    if not _text(raw.schema[name]):
        return Hints()
    text = pl.col(name).cast(pl.String)
    json_, spaces = raw.select(
        text.str.starts_with("[").any().alias("j"), text.str.contains(" ", literal=True).any().alias("s")
    ).row(0)
    return Hints(bool(json_), bool(spaces))


def text_list(raw: pl.Expr, dtype: pl.DataType, hints: Hints) -> pl.Expr | None:
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
class Check:
    column: Column
    fact: Fact | None  # None for id and weight
    clean: pl.Expr
    given: pl.Expr


def _fact_check(column: Column, fact: Fact, dtype: pl.DataType, codes: dict[str, str | None], hints: Hints) -> Check:
    raw, target = column.expr, fact_dtype(fact)
    clean: pl.Expr | None = None
    if fact.type == "bool":
        if isinstance(dtype, pl.Boolean):
            clean = raw
        elif _text(dtype):
            # text spellings: `true` and `false` in any letter case (as the CSV reader parses them)
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
        items = text_list(raw, dtype, hints)
        if items is not None and fact.type == "set":
            ok = _all_items(items, pl.element().is_in(list(fact.values)) & pl.element().is_not_null())
            clean = pl.when(ok).then(items)
        elif items is not None:
            canonical = items.list.eval(pl.element().replace_strict(codes, default=None, return_dtype=pl.String))
            ok = _all_items(canonical, pl.element().is_not_null())
            clean = pl.when(ok).then(canonical)
    clean = _null(target) if clean is None else clean.cast(target)
    return Check(column, fact, clean.alias(column.key), _given(raw, dtype))


def _id_check(column: Column, dtype: pl.DataType) -> Check:
    ok = _text(dtype) or isinstance(dtype, _NUMERIC)
    text = column.expr.cast(pl.String) if ok else _null(pl.String())
    clean = pl.when(text != "").then(text)
    return Check(column, None, clean.alias(column.key), pl.lit(True))


def _weight_check(column: Column, dtype: pl.DataType) -> Check:
    """An empty weight is the default 1; anything written must be a positive finite number."""
    number = _number(column.expr, dtype)
    given = column.expr.is_not_null()
    if _text(dtype):
        given = given & (column.expr.cast(pl.String) != "")
    valid = _null(pl.Float64()) if number is None else pl.when(number.is_finite() & (number > 0)).then(number)
    clean = pl.when(given).then(valid).otherwise(pl.lit(1.0))
    return Check(column, None, clean.alias(column.key), given)


def check_column(column: Column, vocabulary: Vocabulary, raw: pl.DataFrame, codes: dict[str, str | None]) -> Check:
    dtype = raw.schema[column.key]
    working = Column(column.name, pl.col(column.key), column.source, column.key)
    if column.name == ID_COLUMN:
        return _id_check(working, dtype)
    if column.name == WEIGHT_COLUMN:
        return _weight_check(working, dtype)
    fact = vocabulary[column.name]
    hints = text_hints(raw, column.key) if fact.type in ("set", "jurisdictions") else Hints()
    return _fact_check(working, fact, dtype, codes, hints)
