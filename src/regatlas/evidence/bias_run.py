"""One bias audit, start to end: the file read and checked, the arithmetic, the dates and the sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .bias_audit import Exclusion, audit
from .bias_data import read_audit_data
from .bias_law import SOURCES, dates

FORMAT = "regatlas.bias-audit/1"
RATE_NAMES = {"selection": "selection rate", "scoring": "scoring rate"}


def run_bias_audit(
    path: Path,
    method: str,
    categories: list[str],
    outcome: str,
    exclusions: list[Exclusion],
    audit_date: dt.date,
    distribution_date: dt.date | None = None,
) -> dict:
    """The audit as plain data (the JSON output; the text and Markdown views render it)."""
    data = read_audit_data(path, categories, outcome, method)
    computed = audit(data, method, exclusions)
    return {
        "format": FORMAT,
        "method": method,
        "rate": RATE_NAMES[method],
        "data": {
            "file": str(path),
            "rows": data.frame.height,
            "category_columns": list(categories),
            "outcome_column": outcome,
        },
        "median_score": computed["median_score"],
        "dates": dates(audit_date, distribution_date),
        "tables": computed["tables"],
        "exclusions": computed["exclusions"],
        "sources": SOURCES,
    }
