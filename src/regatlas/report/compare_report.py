"""Renderings of a comparison: stable JSON (regatlas.comparison/2), terminal text and Markdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compare.conflicts import Conflict
from ..compare.controls import Control
from ..compare.duties import Duty
from ..compare.fragmentation import Comparison

FORMAT = "regatlas.comparison/2"  # /2: conflicts split from divergences; themes shared by k of n


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
        "specs": [{k: v for k, v in asdict(s).items() if v is not None} for s in d.specs],
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


def _side_json(d: Duty) -> dict[str, Any]:
    return {
        "key": d.key,
        "jurisdiction": d.jurisdiction,
        "instrument": d.instrument,
        "instrument_title": d.instrument_title,
        "citation": d.citation,
        "outcome": d.outcome,
    }


def _pair_json(x: Conflict) -> dict[str, Any]:
    return {
        "kind": x.kind,
        "category": x.category,
        "theme": x.theme,
        "explanation": x.explanation,
        "a": _side_json(x.a),
        "b": _side_json(x.b),
    }


def _where(n: int) -> str:
    return "the one jurisdiction that binds the system" if n == 1 else f"all {n} jurisdictions that bind the system"


def _shared(c: Comparison, theme: str) -> str:
    return f"{c.shared.get(theme, 0)} of {len(c.jurisdictions)}"


def comparison_json(c: Comparison) -> dict[str, Any]:
    a = c.assessment
    return {
        "format": FORMAT,
        "decision_id": a.decision_id,
        "pack_revision": a.pack_revision,
        "as_of": a.as_of.isoformat(),
        "profile": a.profile.name,
        "jurisdictions": c.jurisdictions,
        "themes": [{"theme": t, "shared_by": c.shared.get(t, 0), "of": len(c.jurisdictions)} for t in c.themes],
        "matrix": {
            j: {t: [d.key for d in c.matrix[(j, t)]] for t in c.themes if c.matrix[(j, t)]} for j in c.jurisdictions
        },
        "common_core": c.common_core,
        "specific": c.specific,
        "controls": [_control_json(x) for x in c.controls],
        "conflicts": [_pair_json(x) for x in c.conflicts],
        "divergences": [_pair_json(x) for x in c.divergences],
        "fragmentation_index": c.index,
        "duty_units": c.units,
        "outside_units": c.outside_units,
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
    table.add_column("shared by")
    for j in c.jurisdictions:
        table.add_column(j)
    for t in c.themes:
        mark = " ★" if t in c.common_core else ""
        table.add_row(t.replace("_", " ") + mark, _shared(c, t), *[_cell(c.matrix[(j, t)]) for j in c.jurisdictions])
    console.print(table)
    core = ", ".join(t.replace("_", " ") for t in c.common_core) or "none"
    n = len(c.jurisdictions)
    console.print(Text(f"Common core (★, required in {_where(n)}): {core}", style="bold green"))
    for j, themes in c.specific.items():
        console.print(Text(f"Only in {j}: " + ", ".join(t.replace("_", " ") for t in themes)))
    console.print(
        Text(
            f"Fragmentation index: {c.index:.2f} over {c.units} duty units, {c.outside_units} outside the core "
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
    _pairs_table(console, c.conflicts, CONFLICTS_TITLE, "No conflicts found between the applicable duties.")
    _pairs_table(console, c.divergences, DIVERGENCES_TITLE, "No divergences found between the applicable duties.")


CONFLICTS_TITLE = "Conflicts: no single course of action satisfies both"
DIVERGENCES_TITLE = "Divergences: both can be met, at extra work"


def _side(d: Duty) -> str:
    return f"{d.label} ({d.jurisdiction})"


def _pairs_table(console: Console, items: list[Conflict], title: str, none: str) -> None:
    if not items:
        console.print(Text(none, style="green"))
        return
    table = Table(title=f"{title} ({len(items)})")
    for column in ("category", "theme", "why", "provisions"):
        table.add_column(column)
    for x in items:
        table.add_row(
            x.category.replace("_", " "), x.theme.replace("_", " "), x.explanation, f"{_side(x.a)}\n{_side(x.b)}"
        )
    console.print(table)


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
    lines += [
        "| theme | shared by | " + " | ".join(c.jurisdictions) + " |",
        "|---|---|" + "---|" * len(c.jurisdictions),
    ]
    for t in c.themes:
        cells = [_cell(c.matrix[(j, t)]).replace("\n", " from ") for j in c.jurisdictions]
        star = " ★" if t in c.common_core else ""
        lines.append(f"| {t.replace('_', ' ')}{star} | {_shared(c, t)} | " + " | ".join(cells) + " |")
    n = len(c.jurisdictions)
    core = ", ".join(c.common_core) or "none"
    lines += ["", f"**Common core** (★, required in {_where(n)}): {core}", ""]
    for j, themes in c.specific.items():
        lines.append(f"- only in {j}: {', '.join(themes)}")
    lines += [
        "",
        f"**Fragmentation index:** {c.index:.2f} over {c.units} duty units, {c.outside_units} outside the core",
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
    for heading, items in ((CONFLICTS_TITLE, c.conflicts), (DIVERGENCES_TITLE, c.divergences)):
        lines += ["", f"## {heading} ({len(items)})", ""]
        lines += [
            f"- **{x.category.replace('_', ' ')}** ({x.theme.replace('_', ' ')}): {x.explanation}. "
            f"{_side(x.a)}; {_side(x.b)}"
            for x in items
        ] or ["_None found._"]
    return "\n".join(lines) + "\n"
