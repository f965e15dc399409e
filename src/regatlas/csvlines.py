"""Where a CSV record starts: errors about a row of a CSV file name its line, and a quoted cell may span lines,
so the line is counted by the csv reader itself, never taken as record number + 2."""

from __future__ import annotations

import csv
from pathlib import Path


def record_lines(path: Path, wanted: set[int]) -> dict[int, int]:
    """Record number (0-based, after the header) -> the 1-based line it starts on, for the wanted records."""
    found: dict[int, int] = {}
    if not wanted:
        return found
    last = max(wanted)
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
