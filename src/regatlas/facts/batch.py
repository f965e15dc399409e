"""Many profiles in one run: several profile files, or JSON-lines files holding one profile per line.

A batch pays start-up once, and streams: each profile is read, checked and handed on before the next is read,
so a file of any length runs in constant memory. A bad profile does not stop the batch; it is handed on as its
error (with the file and line) and the caller decides what to do with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RegatlasError
from ..yamlio import MAX_FILE_BYTES
from .profile import Profile, load_profile, profile_from_data
from .vocabulary import Vocabulary

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class BatchItem:
    """One profile of a batch, or the error that kept it out; `source` is the file, or file:line."""

    source: str
    profile: Profile | None
    error: RegatlasError | None = None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a profile may hold")


def _line_data(text: str) -> object:
    if len(text) > MAX_FILE_BYTES:
        raise ValueError(f"the line is {len(text):,} characters; the limit for one profile is {MAX_FILE_BYTES:,}")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("values nested too deep") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python refuses ints of more than 4,300 digits
            raise ValueError("a number with more than 4,300 digits") from None
        raise


def _json_lines(path: Path, vocabulary: Vocabulary) -> Iterator[BatchItem]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        yield BatchItem(str(path), None, RegatlasError(Problem(f"cannot read file: {exc.strerror}", file=str(path))))
        return
    with handle:
        number = 0
        while True:
            try:
                text = handle.readline(MAX_FILE_BYTES + 2)
            except UnicodeDecodeError as exc:
                problem = Problem(f"not UTF-8 text: {exc.reason}", file=str(path), line=number + 1)
                yield BatchItem(f"{path}:{number + 1}", None, RegatlasError(problem))
                return
            if not text:
                return
            number += 1
            if text.strip():
                yield _json_line(path, number, text, vocabulary)


def _json_line(path: Path, number: int, text: str, vocabulary: Vocabulary) -> BatchItem:
    source = f"{path}:{number}"
    try:
        data = _line_data(text)
        profile = profile_from_data(data, vocabulary, str(path))
    except ValueError as exc:  # malformed JSON, a number Python will not hold, NaN, too long or too deep
        return BatchItem(source, None, RegatlasError(Problem(f"malformed JSON: {exc}", file=str(path), line=number)))
    except RegatlasError as exc:
        for problem in exc.problems:
            problem.line = number  # one profile per line: the line is where each of its problems is
        return BatchItem(source, None, exc)
    if not (isinstance(data, dict) and data.get("name")):
        profile.name = f"{path.stem} line {number}"  # not the file's name: every line would share it
    profile.source = source
    return BatchItem(source, profile)


def iter_profiles(paths: list[Path], vocabulary: Vocabulary) -> Iterator[BatchItem]:
    """Every profile of these files in order: a .jsonl/.ndjson file gives one per line, any other file one."""
    for path in paths:
        if path.suffix.lower() in JSON_LINES_SUFFIXES:
            yield from _json_lines(path, vocabulary)
            continue
        try:
            yield BatchItem(str(path), load_profile(path, vocabulary))
        except RegatlasError as exc:
            yield BatchItem(str(path), None, exc)
