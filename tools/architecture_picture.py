"""Draw docs/images/architecture.png from the layers contract in pyproject.toml (the one source of truth).

Usage:  .venv/bin/python tools/architecture_picture.py
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

ROOT = Path(__file__).resolve().parents[1]
# What each layer is for, as docs/architecture.md says it (a layer in parentheses does not exist yet).
ROLES = {
    "cli : commands : __main__": "command line: parse options, call the rooms below",
    "serve": "service: API, inventory, assessments, tokens, audit log",
    "report : pictures": "renderings: text, Markdown, JSON, HTML/PDF, pictures",
    "simulate : compare : world : (evidence)": "analysis: populations and scenarios, fragmentation, world queries",
    "engine : compile": "engines: scalar (with traces) and compiled (Polars, DuckDB, Spark) from one IR",
    "rules": "rule packs: records, loading, validation, cache",
    "expr": "condition language: parser, type check, IR",
    "facts": "fact vocabulary and profiles",
    "jurisdictions": "places and union membership",
    "errors : yamlio : outputs": "base: located errors, safe YAML/JSON, safe writes",
}


def layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"][0]["layers"]


def draw(path: Path) -> None:
    names = layers()
    fig, ax = plt.subplots(figsize=(9, 0.62 * len(names) + 0.6), dpi=150)
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.5, len(names))
    ax.axis("off")
    for row, name in enumerate(names):
        y = len(names) - 1 - row
        planned = name.startswith("(")
        box = FancyBboxPatch(
            (0.2, y + 0.08),
            9.6,
            0.74,
            boxstyle="round,pad=0.02",
            linewidth=1,
            edgecolor="#888" if planned else "#2b4c7e",
            facecolor="#f4f4f4" if planned else "#e3ecf7",
            linestyle="--" if planned else "-",
        )
        ax.add_patch(box)
        parts = [
            p[1:-1] + " (to come)" if p.startswith("(") and not planned else p.strip("()") for p in name.split(" : ")
        ]
        label = "  ·  ".join(parts)
        ax.text(0.4, y + 0.55, label, fontsize=10, weight="bold", color="#555" if planned else "#1b2b44", va="center")
        ax.text(0.4, y + 0.27, ROLES.get(name, ""), fontsize=8, color="#444", va="center")
        if row:
            ax.add_patch(FancyArrowPatch((9.4, y + 1.08), (9.4, y + 0.84), arrowstyle="-|>", mutation_scale=9))
    ax.text(
        0.2,
        -0.35,
        "each layer imports only from the layers below it (arrows: may import); checked by lint-imports",
        fontsize=8,
        color="#444",
    )
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


if __name__ == "__main__":
    target = ROOT / "docs" / "images" / "architecture.png"
    draw(target)
    print(f"wrote {target}")
