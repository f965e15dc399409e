"""Simulation results for people: terminal tables, Markdown, JSON and Parquet tables (docs/simulate.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMAT = "regatlas.simulation/1"


def _pct(value: float, total: float) -> str:
    return f"{100 * value / total:.1f}%" if total else "-"


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _eur(value: float) -> str:
    return f"EUR {value:,.0f}"


def simulation_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, default=str)


# Tables shared by the text and Markdown renderings: (title, header, rows) ---------------------------------------


def _instrument_rows(summary: dict) -> list[list[str]]:
    total = summary["population"]["systems"]
    rows = []
    for i in sorted(summary["instruments"], key=lambda e: (-e["touched"], e["instrument"])):
        if not i["touched"]:
            continue

        def pair(label: str, entry=i) -> str:
            figures = entry.get(label)
            if figures is None:
                return "-"
            return f"{_pct(figures['yes'], total)} (+{_pct(figures['unknown'], total)} ?)"

        rows.append([i["title"], i["jurisdiction"], _pct(i["touched"], total), pair("in_scope"), pair("prohibited"),
                     pair("duties")])  # fmt: skip
    return rows


def _class_rows(summary: dict) -> list[list[str]]:
    total = summary["population"]["systems"]
    return [
        [c["class"], c["jurisdiction"], c["finding"], _pct(c["yes"], total), _pct(c["unknown"], total)]
        for c in summary["classes"]
    ]


def _theme_rows(summary: dict) -> list[list[str]]:
    total = summary["population"]["systems"]
    return [
        [t["title"], _pct(t["systems"], total), f"{t['jurisdictions_per_system']:.2f}", _eur(t["effort_eur"] / total)]
        for t in summary["themes"]
        if t["systems"]
    ]


def _fragmentation_rows(f: dict) -> list[list[str]]:
    return [
        ["obligations that hold, per system", f"{f['obligations_per_system']:.2f}"],
        ["... of which in effect on the date", f"{f['obligations_in_effect_per_system']:.2f}"],
        ["systems with at least one duty", f"{100 * f['systems_with_duties_share']:.1f}%"],
        ["systems bound in several jurisdictions", f"{100 * f['systems_in_several_jurisdictions_share']:.1f}%"],
        ["systems facing a conflict", f"{100 * f['conflict_share']:.2f}%"],
        ["divergences per system", f"{f['divergences_per_system']:.3f}"],
        ["duty units per system (jurisdiction x theme)", f"{f['duty_units_per_system']:.2f}"],
        ["... of which outside the common core", f"{f['outside_core_per_system']:.2f}"],
        ["binding jurisdictions per system with duties", f"{f['binding_jurisdictions_per_bound_system']:.2f}"],
        ["mean fragmentation index (systems with duties)", f"{f['mean_index_bound']:.3f}"],
        ["mean fragmentation index (systems in several places)", f"{f['mean_index_several']:.3f}"],
        ["compliance effort per system and year (duties that hold)", _eur(f["effort_eur_per_system"])],
        ["... counting duties still unknown too (upper bound)", _eur(f["effort_eur_per_system_max"])],
    ]


def _unknown_rows(summary: dict) -> list[list[str]]:
    return [
        [u["fact"], f"{100 * u['systems_share']:.1f}%", str(u["findings"])] for u in summary["unknown"]["top_facts"]
    ]


def _scenario_rows(scenario: dict) -> list[list[str]]:
    before, after = scenario["baseline_fragmentation"], scenario["fragmentation"]
    pairs = zip(_fragmentation_rows(before), _fragmentation_rows(after), strict=True)
    rows = [[b_row[0], b_row[1], a_row[1]] for b_row, a_row in pairs]
    d = scenario["duties"]
    rows.append(["obligations added per system", "", f"{d['added_per_system']:.3f}"])
    rows.append(["obligations removed per system", "", f"{d['removed_per_system']:.3f}"])
    rows.append(["systems gaining an obligation", "", f"{100 * d['systems_with_added_share']:.1f}%"])
    rows.append(["systems losing an obligation", "", f"{100 * d['systems_with_removed_share']:.1f}%"])
    return rows


def _transition_rows(scenario: dict, total: float, limit: int = 12) -> list[list[str]]:
    rows = []
    for m in scenario["transitions"]["findings"][:limit]:
        moves = [
            f"{s}->{t} {_pct(v, total)}" for s, row in m["matrix"].items() for t, v in row.items() if s != t and v > 0
        ]
        rows.append([m["finding"], m["kind"], _pct(m["changed_systems"], total), ", ".join(moves[:3])])
    return rows


def _effort_rows(scenario: dict, total: float, limit: int = 10) -> list[list[str]]:
    return [
        [e["theme"], _eur(e["before_eur"] / total), _eur(e["after_eur"] / total), _eur(e["change_eur"] / total)]
        for e in scenario["effort"][:limit]
        if e["change_eur"]
    ]


def _sections(result: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    base = result["baseline"]
    total = base["population"]["systems"]
    out = [
        ("Instruments (share of systems; +? still unknown)",
         ["instrument", "place", "touched", "in scope", "prohibited", "duties"], _instrument_rows(base)),
        ("Risk classes", ["class", "place", "finding", "yes", "unknown"], _class_rows(base)),
        ("Duty themes", ["theme", "systems", "jurisdictions per system", "effort per system"], _theme_rows(base)),
        ("Fragmentation", ["measure", "value"], _fragmentation_rows(base["fragmentation"])),
        (f"Facts that leave most findings open (unknown findings: {100 * base['unknown']['share']:.1f}%)",
         ["fact", "systems", "findings reading it"], _unknown_rows(base)),
    ]  # fmt: skip
    for sc in result["scenarios"]:
        out.append((f"Scenario {sc['id']}: {sc['title']} [{sc['status']}]", ["measure", "baseline", "scenario"],
                    _scenario_rows(sc)))  # fmt: skip
        out.append((f"{sc['id']}: findings that change most", ["finding", "kind", "systems", "moves"],
                    _transition_rows(sc, total)))  # fmt: skip
        out.append((f"{sc['id']}: effort per system and year, by theme", ["theme", "baseline", "scenario", "change"],
                    _effort_rows(sc, total)))  # fmt: skip
    return out


def _headline(result: dict) -> str:
    base = result["baseline"]
    p = base["population"]
    line = (
        f"{p['rows']:,} profiles standing for {_n(p['systems'])} AI systems, as of {base['as_of']}, "
        f"pack {base['pack_revision']}, engine {base['engine']}"
    )
    return line


def render_simulation_text(result: dict, out: Console) -> None:
    out.print(Text("regatlas simulation", style="bold") + Text(f"  {_headline(result)}"))
    for title, header, rows in _sections(result):
        if not rows:
            continue
        table = Table(title=title, title_justify="left", show_lines=False)
        for i, name in enumerate(header):
            table.add_column(name, justify="left" if i == 0 else "right", overflow="fold")
        for row in rows:
            table.add_row(*row)
        out.print(table)
    for sc in result["scenarios"]:
        if sc.get("answer"):
            out.print(Text(sc["id"], style="bold") + Text(f": {sc['answer']}"))


def render_simulation_markdown(result: dict) -> str:
    lines = ["# regatlas simulation", "", _headline(result), ""]
    for title, header, rows in _sections(result):
        if not rows:
            continue
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        lines.append("")
    for sc in result["scenarios"]:
        if sc.get("answer"):
            lines += [f"**{sc['id']}**: {sc['answer']}", ""]
    return "\n".join(lines)


def parquet_tables(result: dict) -> dict[str, pl.DataFrame]:
    """The summary's tables, one Parquet file each, for analysts who continue in their own tools."""
    base = result["baseline"]
    instruments = [
        {
            "instrument": i["instrument"],
            "title": i["title"],
            "jurisdiction": i["jurisdiction"],
            "touched": i["touched"],
            **{f"{k}_{o}": i[k][o] for k in ("in_scope", "prohibited", "duties") if k in i for o in ("yes", "unknown")},
        }
        for i in base["instruments"]
    ]
    tables = {
        "instruments": pl.DataFrame(instruments),
        "classes": pl.DataFrame(base["classes"]),
        "themes": pl.DataFrame(base["themes"]),
        "fragmentation": pl.DataFrame([base["fragmentation"]]),
    }
    for sc in result["scenarios"]:
        moves = [
            {"finding": m["finding"], "before": s, "after": t, "systems": v}
            for m in sc["transitions"]["findings"]
            for s, row in m["matrix"].items()
            for t, v in row.items()
            if v
        ]
        schema = {"finding": pl.String, "before": pl.String, "after": pl.String, "systems": pl.Float64}
        tables[f"{sc['id']}_transitions"] = pl.DataFrame(moves, schema=schema)
        tables[f"{sc['id']}_effort"] = pl.DataFrame(sc["effort"])
        tables[f"{sc['id']}_classes"] = pl.DataFrame(
            [{"run": run, **row} for run in ("baseline", "scenario") for row in sc["classes"][run]]
        )
    return tables


def parquet_writer(frame: pl.DataFrame) -> Callable[[Path], None]:
    return lambda temporary: frame.write_parquet(temporary, compression="zstd")
