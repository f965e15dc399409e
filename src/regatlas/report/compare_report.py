"""Renderings of a comparison: stable JSON (regatlas.comparison/1), terminal text and Markdown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compare.controls import Control
from ..compare.duties import Duty
from ..compare.fragmentation import Comparison

FORMAT = "regatlas.comparison/1"


def _duty_json(d: Duty) -> dict[str, Any]:
    return {
        "id": d.key,
        "jurisdiction": d.jurisdiction,
        "instrument": d.instrument,
        "citation": d.citation,
        "title": d.title,
        "kind": d.kind,
        "outcome": d.outcome,
        "binding_force": d.binding_force,
        "roles": list(d.roles),
        "themes": list(d.themes),
        "applies_from": d.applies_from.isoformat() if d.applies_from else None,
        "in_effect": d.in_effect,
        "specs": [s.model_dump(exclude_none=True) for s in d.specs],
    }


def _control_json(c: Control) -> dict[str, Any]:
    return {
        "theme": c.theme,
        "title": c.title,
        "jurisdictions": c.jurisdictions,
        "serves": [d.key for d in c.serves],
        "bounds": {q: {"min": lo, "max": hi} for q, (lo, hi) in c.bounds.items()},
        "features": c.features,
        "choices": c.choices,
        "split_reason": c.split_reason,
        "note": c.note,
    }


def comparison_json(c: Comparison) -> dict[str, Any]:
    a = c.assessment
    return {
        "format": FORMAT,
        "decision_id": a.decision_id,
        "pack_revision": a.pack_revision,
        "as_of": a.as_of.isoformat(),
        "profile": a.profile.name,
        "jurisdictions": c.jurisdictions,
        "themes": c.themes,
        "matrix": {
            j: {t: [d.key for d in c.matrix[(j, t)]] for t in c.themes if c.matrix[(j, t)]} for j in c.jurisdictions
        },
        "common_core": c.common_core,
        "specific": c.specific,
        "controls": [_control_json(x) for x in c.controls],
        "conflicts": [
            {
                "kind": x.kind,
                "theme": x.theme,
                "explanation": x.explanation,
                "a": {"id": x.a.key, "citation": x.a.citation, "jurisdiction": x.a.jurisdiction},
                "b": {"id": x.b.key, "citation": x.b.citation, "jurisdiction": x.b.jurisdiction},
            }
            for x in c.conflicts
        ],
        "fragmentation_index": c.index,
        "duty_units": c.units,
        "duties": [_duty_json(d) for d in c.duties],
    }


def _cell(duties: list[Duty]) -> str:
    if not duties:
        return ""
    first = min(duties, key=lambda d: d.applies_from or dt.date.max)
    more = f" +{len(duties) - 1}" if len(duties) > 1 else ""
    date = first.applies_from.isoformat() if first.applies_from else "?"
    return f"{first.citation}{more}\n{date}"


def render_comparison_text(c: Comparison, console: Console) -> None:
    a = c.assessment
    console.print(Text(f"{a.profile.name}: comparison as of {a.as_of}", style="bold"))
    console.print(Text(f"pack {a.pack_revision} · decision {a.decision_id}", style="dim"))
    if not c.jurisdictions:
        console.print(Text("No duty applies in any assessed jurisdiction: nothing to compare.", style="yellow"))
        return
    table = Table(title="Duties by jurisdiction and theme (first provision, date it applies)", show_lines=True)
    table.add_column("theme")
    for j in c.jurisdictions:
        table.add_column(j)
    for t in c.themes:
        mark = " ★" if t in c.common_core else ""
        table.add_row(t.replace("_", " ") + mark, *[_cell(c.matrix[(j, t)]) for j in c.jurisdictions])
    console.print(table)
    core = ", ".join(t.replace("_", " ") for t in c.common_core) or "none"
    console.print(Text(f"Common core (★, required in every jurisdiction compared): {core}", style="bold green"))
    for j, themes in c.specific.items():
        console.print(Text(f"Only in {j}: " + ", ".join(t.replace("_", " ") for t in themes)))
    console.print(
        Text(
            f"Fragmentation index: {c.index:.2f} over {c.units} duty units "
            "(share of effort outside the common core; docs/compare.md)",
            style="bold",
        )
    )
    controls = Table(
        title=f"Minimal control set: {len(c.controls)} controls for "
        f"{sum(1 for d in c.duties if d.kind == 'obligation')} duties"
    )
    for column in ("control", "serves", "where", "specification", "why separate / how"):
        controls.add_column(column)
    for ctl in c.controls:
        controls.add_row(
            ctl.title, str(len(ctl.serves)), ", ".join(ctl.jurisdictions), "; ".join(ctl.spec_parts()), ctl.how()
        )
    console.print(controls)
    if c.conflicts:
        conflicts = Table(title="Conflicts and tensions (derived from the rules)")
        for column in ("kind", "theme", "what", "provisions"):
            conflicts.add_column(column)
        for x in c.conflicts:
            conflicts.add_row(
                x.kind.replace("_", " "), x.theme.replace("_", " "), x.explanation, f"{x.a.label}\n{x.b.label}"
            )
        console.print(conflicts)
    else:
        console.print(Text("No conflicts or tensions found between the applicable duties.", style="green"))


def render_comparison_markdown(c: Comparison) -> str:
    a = c.assessment
    lines = [
        f"# Comparison: {a.profile.name}",
        "",
        f"As of **{a.as_of}** · pack `{a.pack_revision}` · decision `{a.decision_id}`",
        "",
    ]
    if not c.jurisdictions:
        return "\n".join([*lines, "_No duty applies in any assessed jurisdiction._"])
    lines += ["| theme | " + " | ".join(c.jurisdictions) + " |", "|---|" + "---|" * len(c.jurisdictions)]
    for t in c.themes:
        cells = [_cell(c.matrix[(j, t)]).replace("\n", " from ") for j in c.jurisdictions]
        lines.append(f"| {t.replace('_', ' ')}{' ★' if t in c.common_core else ''} | " + " | ".join(cells) + " |")
    lines += ["", f"**Common core:** {', '.join(c.common_core) or 'none'}", ""]
    for j, themes in c.specific.items():
        lines.append(f"- only in {j}: {', '.join(themes)}")
    lines += [
        "",
        f"**Fragmentation index:** {c.index:.2f} over {c.units} duty units",
        "",
        "## Minimal control set",
        "",
        "| control | serves | where | specification | why separate / how |",
        "|---|---|---|---|---|",
    ]
    for ctl in c.controls:
        lines.append(
            f"| {ctl.title} | {len(ctl.serves)} | {', '.join(ctl.jurisdictions)} | "
            f"{'; '.join(ctl.spec_parts())} | {ctl.how()} |"
        )
    lines += ["", "## Conflicts and tensions", ""]
    lines += [
        f"- **{x.kind.replace('_', ' ')}** ({x.theme}): {x.explanation}: {x.a.label}; {x.b.label}" for x in c.conflicts
    ] or ["_None found._"]
    return "\n".join(lines) + "\n"
