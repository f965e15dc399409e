"""Renderings of the landscape: JSON (regatlas.landscape/1), terminal text and Markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compare.landscape import MIN_PRINCIPLES, Landscape

FORMAT = "regatlas.landscape/1"
FORCE_SHORT = {
    "binding_law": "binding",
    "executive_policy": "policy",
    "soft_law": "soft",
    "voluntary_commitment": "soft",
    "declaration": "soft",
}


def _mark(row: dict | None) -> str:
    if not row or row["participation"] == "not recorded":
        return "—"
    mark = row["participation"].replace("_", " ") + (f" via {row['via']}" if row.get("via") else "")
    return mark + (f" [{row['confidence']}]" if row.get("confidence") in ("M", "L") else "")


def landscape_json(ls: Landscape) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "as_of": ls.as_of.isoformat(),
        "jurisdictions": ls.jurisdictions,
        "participation": {
            iid: {
                "title": ls.instruments[iid],
                "by_jurisdiction": {
                    code: {k: row[k] for k in ("participation", "date", "confidence", "via")}
                    for code, row in rows.items()
                },
            }
            for iid, rows in sorted(ls.participation.items())
        },
        "themes": {t: {j: ls.theme_force.get((j, t), "absent") for j in ls.jurisdictions} for t in ls.themes},
        "alignment": {
            "method": "Jaccard similarity of principle sets (packs/themes/principles.yaml)",
            "min_principles": MIN_PRINCIPLES,
            "instruments": ls.aligned,
            "principles": {i: len(ls.principles[i]) for i in ls.aligned},
            "matrix": [[ls.alignment[(a, b)] for b in ls.aligned] for a in ls.aligned],
            "pairs": [
                {
                    "a": a,
                    "b": b,
                    "score": ls.alignment[(a, b)],
                    "a_principles": na,
                    "b_principles": nb,
                    "shared": shared,
                    "low_evidence": ls.low_evidence(a, b),
                }
                for a, b in _pairs(ls)
                for na, nb, shared in [ls.overlap(a, b)]
            ],
        },
    }


def _pairs(ls: Landscape) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(ls.aligned) for b in ls.aligned[i + 1 :]]


LOW = f"low evidence: fewer than {MIN_PRINCIPLES} principles on a side"


def _pair_line(ls: Landscape, a: str, b: str) -> str:
    na, nb, shared = ls.overlap(a, b)
    flag = "  [low evidence]" if ls.low_evidence(a, b) else ""
    return f"  {ls.alignment[(a, b)]:.2f}  {a} ~ {b}  (|A|={na}, |B|={nb}, |A∩B|={shared}){flag}"


def render_landscape_text(ls: Landscape, console: Console) -> None:
    table = Table(title=f"Who is party to which instrument, as of {ls.as_of}")
    table.add_column("instrument")
    for code in ls.jurisdictions:
        table.add_column(code, justify="center")
    for iid in sorted(ls.participation):
        table.add_row(ls.instruments[iid], *[_mark(ls.participation[iid].get(c)) for c in ls.jurisdictions])
    console.print(table)
    themes = Table(title="Where each theme is required: binding law, executive policy, soft law, or absent")
    themes.add_column("theme")
    for code in ls.jurisdictions:
        themes.add_column(code, justify="center")
    for t in ls.themes:
        themes.add_row(
            t.replace("_", " "), *[FORCE_SHORT.get(ls.theme_force.get((c, t), ""), "·") for c in ls.jurisdictions]
        )
    console.print(themes)
    console.print(Text("Alignment between instruments (Jaccard similarity of their principles):", style="bold"))
    ranked = sorted(_pairs(ls), key=lambda ab: (-ls.alignment[ab], ab))
    sound = [ab for ab in ranked if not ls.low_evidence(*ab)]
    weak = [ab for ab in ranked if ls.low_evidence(*ab)]
    for a, b in sound[:10]:
        console.print(Text(_pair_line(ls, a, b)))
    if weak:
        console.print(Text(f"  Highest low-evidence scores ({len(weak)} pairs; {LOW}):", style="dim"))
        for a, b in weak[:5]:
            console.print(Text(_pair_line(ls, a, b)))
    console.print(Text(f"  ... {len(ranked)} pairs in all; --format json gives the whole matrix", style="dim"))


def _md_table(corner: str, columns: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    lines = [f"| {corner} | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    return lines + [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]


def _md_score(ls: Landscape, a: str, b: str) -> str:
    if a == b:
        return "—"
    return f"{ls.alignment[(a, b)]:.2f} ({ls.overlap(a, b)[2]}){'†' if ls.low_evidence(a, b) else ''}"


def render_landscape_markdown(ls: Landscape) -> str:
    js = ls.jurisdictions
    participation = [
        (ls.instruments[i], [_mark(ls.participation[i].get(c)) for c in js]) for i in sorted(ls.participation)
    ]
    themes = [(t, [FORCE_SHORT.get(ls.theme_force.get((c, t), ""), "·") for c in js]) for t in ls.themes]
    alignment = [(f"{a} ({len(ls.principles[a])})", [_md_score(ls, a, b) for b in ls.aligned]) for a in ls.aligned]
    lines = [f"# AI governance landscape as of {ls.as_of}", "", "## Participation", ""]
    lines += _md_table("instrument", js, participation)
    lines += ["", "## Themes by force", "", *_md_table("theme", js, themes)]
    lines += [
        "",
        "## Alignment (Jaccard similarity of principles)",
        "",
        "Each cell is |A ∩ B| / |A ∪ B| with |A ∩ B| in brackets; each instrument's number of principles (|A|, |B|) "
        f"follows its name. † marks a low-evidence score: fewer than {MIN_PRINCIPLES} principles on a side, so two "
        "instruments naming the same two principles score 1.00 without being broadly aligned.",
        "",
        *_md_table("", [f"{b} ({len(ls.principles[b])})" for b in ls.aligned], alignment),
    ]
    return "\n".join(lines) + "\n"
