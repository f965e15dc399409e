"""A bias audit (evidence/bias_run.py) as text, Markdown and JSON: the summary 6 RCNY § 5-303 asks to publish.

Rates are shown as percentages to one decimal and impact ratios to three decimals; the JSON keeps full
precision, so a reader can round as the summary they publish does.
"""

from __future__ import annotations

import json

TITLES = {"sex": "Sex", "race_ethnicity": "Race/ethnicity", "intersection": "Intersectional"}


def bias_audit_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _ratio(row: dict) -> str:
    if row["excluded"]:
        return "excluded"
    return "-" if row["impact_ratio"] is None else f"{row['impact_ratio']:.3f}"


def _title(table: dict) -> str:
    if table["dimension"] == "intersection":
        return f"Intersectional categories ({' x '.join(table['columns'])})"
    return f"{TITLES.get(table['dimension'], table['dimension'])} categories"


def _rows(result: dict, table: dict) -> list[list[str]]:
    return [
        [
            row["category"],
            f"{row['applicants']:,}",
            f"{row['positive']:,}",
            _percent(row["rate"]),
            _ratio(row),
            _percent(row["share_of_data"]) + (" *" if row["under_2_percent"] else ""),
        ]
        for row in table["categories"]
    ]


def _header(result: dict) -> list[str]:
    positive = "# selected" if result["method"] == "selection" else "# above median"
    return ["category", "# applicants", positive, result["rate"], "impact ratio", "share of data"]


def _lead(result: dict) -> list[str]:
    data, day = result["data"], result["dates"]
    lines = [
        f"Bias audit ({result['rate']}s, 6 RCNY § 5-301) of {data['file']}: {data['rows']:,} candidates, "
        f"outcome column '{data['outcome_column']}'",
        f"Audit date {day['audit_date']}; a tool may be used on this audit until {day['use_no_later_than']} "
        "(one year, 6 RCNY § 5-301(a))",
        "Distribution date: " + (day["distribution_date"] or day["distribution_date_note"]),
    ]
    if result["median_score"] is not None:
        lines.append(
            f"Median score of the full sample: {result['median_score']:g} (a scoring rate is the share above it)"
        )
    return lines


def _notes(table: dict) -> list[str]:
    notes = [
        f"individuals of unknown category (not in the rates above): {table['unknown']:,}",
        "highest rate: " + (", ".join(table["reference"]) or "none"),
    ]
    if table["impact_ratio_undefined"]:
        notes.append(f"impact ratios undefined: {table['impact_ratio_undefined']}")
    notes += [
        f"excluded from the impact ratios: {r['category']}: {r['justification']}"
        for r in table["categories"]
        if r["excluded"]
    ]
    small = [r["category"] for r in table["categories"] if r["under_2_percent"] and not r["excluded"]]
    if small:
        notes.append(
            "* under 2% of the data; the auditor may exclude it from the impact ratios with a justification "
            f"(6 RCNY § 5-301(d), --exclude): {', '.join(small)}"
        )
    return notes


def _aligned(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    render = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
        for r in [header, *rows]
    ]
    return [render[0], "  ".join("-" * w for w in widths), *render[1:]]


def render_bias_audit_text(result: dict) -> str:
    lines = _lead(result)
    for table in result["tables"]:
        lines += ["", _title(table), *_aligned(_header(result), _rows(result, table))]
        lines += [f"  {note}" for note in _notes(table)]
    lines += ["", "Before use:"] + [f"  - {step}" for step in result["dates"]["before_use"]]
    lines += ["", "Sources:"] + [f"  {s['provision']}: {s['url']}" for s in result["sources"]]
    return "\n".join(lines) + "\n"


def render_bias_audit_markdown(result: dict) -> str:
    lines = [f"# Bias audit: {result['rate']}s", "", *(f"- {line}" for line in _lead(result))]
    for table in result["tables"]:
        header = _header(result)
        lines += ["", f"## {_title(table)}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in _rows(result, table)]
        lines += [""] + [f"- {note}" for note in _notes(table)]
    lines += ["", "## Before use", ""] + [f"- {step}" for step in result["dates"]["before_use"]]
    lines += ["", "## Sources", ""] + [f"- [{s['provision']}]({s['url']}): {s['says']}" for s in result["sources"]]
    return "\n".join(lines) + "\n"
