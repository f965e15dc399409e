"""Reading a population file: Parquet, CSV or JSON lines, told by its name and checked against its first bytes.

The readers are Polars' lazy scans; any reader failure is a problem with the user's file, reported with the file
and, for JSON lines, the first line that is not a JSON object. `line_numbers` maps the records of the reported
rows back to lines of a CSV or JSON-lines file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl

from ..csvlines import record_lines
from ..errors import Problem, RegatlasError
from ..facts.profile import UNKNOWN
from ..facts.vocabulary import Vocabulary

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FORMAT_NAMES = {"parquet": "Parquet", "csv": "CSV", "jsonl": "JSON lines"}
_CSV_PARSED = {"bool": pl.Boolean(), "number": pl.Float64()}


def format_of(path: Path) -> str:
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


class RetryAsText(Exception):
    """The typed CSV read met a cell it could not parse, or found problems: read every cell as text."""


def scan(path: Path, kind: str, typed: Vocabulary | None = None) -> pl.LazyFrame:
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


def collect(lazy: pl.LazyFrame, path: Path, kind: str, typed: bool = False) -> pl.DataFrame:
    try:
        return lazy.collect()
    except Exception as exc:
        if typed:
            raise RetryAsText from None
        raise RegatlasError(_read_problem(path, kind, exc)) from None


def csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return next(csv.reader(handle), [])


def line_numbers(path: Path, kind: str, rows: list[int], total: int) -> dict[int, int]:
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
        return record_lines(path, wanted)
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
