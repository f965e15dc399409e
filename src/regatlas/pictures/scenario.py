"""What a scenario does to each jurisdiction: paired stacked bars of its systems by class, baseline and scenario.

The data is a scenario's `classes` from `regatlas.simulate.run.run_simulation`: for the baseline and the scenario,
per jurisdiction, the weighted systems in each class (prohibited, risk class, duties, none; see
`simulate.summary.class_shares`). Each jurisdiction gets two bars, the baseline above the scenario; a jurisdiction that
exists in one run only gets an empty, dashed bar in the other. Unlike the other pictures this one returns its bytes
instead of writing files, so a report can inline it without a temporary folder.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ._style import INK, MUTED, new_figure, render, settings

# The classes, strongest first, with the legend's words and their colours.
CLASSES: tuple[str, ...] = ("prohibited", "risk_class", "duties", "none")
CLASS_LABELS: dict[str, str] = {
    "prohibited": "prohibited practice",
    "risk_class": "risk class (high-risk, high-impact...)",
    "duties": "other duties",
    "none": "touched, nothing asked",
}
CLASS_COLOURS: dict[str, str] = {
    "prohibited": "#b3261e",
    "risk_class": "#f08a3c",
    "duties": "#3f7fbf",
    "none": "#d9d9d9",
}
RUNS: tuple[str, ...] = ("baseline", "scenario")

WIDTH = 8.0  # inches: the width of a printed page's text
BAR = 0.16  # height of one bar, inches
INNER = 0.03  # gap between a jurisdiction's two bars
OUTER = 0.16  # gap between jurisdictions
PITCH = 2 * BAR + INNER + OUTER


def _runs(classes: Mapping[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """{run: {jurisdiction: {class: systems}}}, checked."""
    if not isinstance(classes, Mapping) or set(classes) != set(RUNS):
        raise ValueError("classes must be a mapping with exactly the keys 'baseline' and 'scenario'")
    out: dict[str, dict[str, dict[str, float]]] = {}
    for run in RUNS:
        rows = classes[run]
        if not isinstance(rows, list):
            raise ValueError(f"classes[{run!r}] must be a list of rows, not {type(rows).__name__}")
        by_j: dict[str, dict[str, float]] = {}
        for i, row in enumerate(rows):
            where = f"classes[{run!r}][{i}]"
            if not isinstance(row, Mapping) or not isinstance(row.get("jurisdiction"), str) or not row["jurisdiction"]:
                raise ValueError(f"{where}: each row needs a 'jurisdiction' code")
            j = row["jurisdiction"]
            if j in by_j:
                raise ValueError(f"{where}: jurisdiction {j!r} appears twice")
            values = {}
            for cls in CLASSES:
                value = row.get(cls, 0.0)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise ValueError(f"{where}: {cls} must be a finite number, not {value!r}")
                if value < 0:
                    raise ValueError(f"{where}: {cls} must not be negative, not {value!r}")
                values[cls] = float(value)
            by_j[j] = values
        out[run] = by_j
    return out


def _share_text(value: float, as_share: bool) -> str:
    if not as_share:
        return f"{value:,.0f}"
    if 0 < value < 0.001:
        return "<0.1%"
    return f"{value:.1%}"


def scenario_classes_figure(
    classes: Mapping[str, Any],
    title: str,
    names: Mapping[str, str] | None = None,
    total: float | None = None,
) -> tuple[bytes, str]:
    """Draw the paired bars; return (PNG bytes, SVG text), the same bytes for the same input.

    classes: {"baseline": [...], "scenario": [...]}, each a list of {jurisdiction, prohibited, risk_class, duties,
    none} weighted system counts. names: jurisdiction code -> the name to show (a code missing from it is shown as
    is). total: the weighted systems in the whole population; when given, bars show shares of it (a bar's length is
    then the share of all systems the jurisdiction's rules touch), otherwise weighted counts.
    """
    runs = _runs(classes)
    if total is not None and (isinstance(total, bool) or not math.isfinite(total) or total <= 0):
        raise ValueError(f"total must be a positive number of systems, not {total!r}")
    codes = sorted(set(runs["baseline"]) | set(runs["scenario"]))
    if not codes:
        raise ValueError("scenario_classes_figure needs at least one jurisdiction")
    names = names or {}
    labels = [str(names.get(j, j)) for j in codes]
    scale = 1.0 / total if total else 1.0
    as_share = total is not None

    def length(run: str, j: str) -> float:
        return sum(runs[run][j].values()) * scale

    longest = max(max(length(run, j) for run in RUNS if j in runs[run]) for j in codes)
    x_max = longest * 1.04 if longest > 0 else 1.0

    title_lines = textwrap.wrap(title, 68) or [""]
    head = 0.3 + 0.22 * len(title_lines) + 0.65  # title, then the legend
    foot = 0.6  # x ticks and their label
    body = PITCH * len(codes) - OUTER
    height = head + body + foot
    left = 0.25 + 0.068 * max(len(label) for label in labels) + 0.62
    right = 1.05  # the column of affected shares
    with settings():
        fig = new_figure(WIDTH, round(height, 2))
        ax = fig.add_axes((left / WIDTH, foot / height, (WIDTH - left - right) / WIDTH, body / height))
        ax.set_xlim(0, x_max)
        ax.set_ylim(body, 0)  # inches from the top: the first jurisdiction on top
        for i, (j, label) in enumerate(zip(codes, labels, strict=True)):
            top = i * PITCH
            if i % 2 == 0:  # a faint band behind every other jurisdiction, to guide the eye along the row
                ax.axhspan(top - OUTER / 2, top + 2 * BAR + INNER + OUTER / 2, color="#f4f4f4", zorder=0, lw=0)
            ax.annotate(
                label, (0, top + BAR + INNER / 2), xycoords=("axes fraction", "data"), xytext=(-44, 0),
                textcoords="offset points", ha="right", va="center", fontsize=8.5, color=INK,
            )  # fmt: skip
            for k, run in enumerate(RUNS):
                y = top + k * (BAR + INNER)
                centre = y + BAR / 2
                ax.annotate(
                    run, (0, centre), xycoords=("axes fraction", "data"), xytext=(-4, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=7, color=MUTED,
                )  # fmt: skip
                if j not in runs[run]:
                    other = RUNS[1 - k]
                    ghost = max(length(other, j), x_max * 0.18)
                    ax.add_patch(
                        Rectangle((0, y), ghost, BAR, facecolor="none", edgecolor="#8c8c8c", linestyle=(0, (3, 2)),
                                  linewidth=0.8, zorder=2)
                    )  # fmt: skip
                    ax.text(x_max * 0.01, centre, f"not in the {run}", ha="left", va="center", fontsize=7,
                            color=MUTED, style="italic", zorder=3)  # fmt: skip
                    ax.annotate(
                        "-", (1, centre), xycoords=("axes fraction", "data"), xytext=(8, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=8, color=MUTED,
                    )  # fmt: skip
                    continue
                start = 0.0
                for cls in CLASSES:
                    width = runs[run][j][cls] * scale
                    if width > 0:
                        ax.add_patch(
                            Rectangle((start, y), width, BAR, facecolor=CLASS_COLOURS[cls], edgecolor="none",
                                      zorder=2)
                        )  # fmt: skip
                    start += width
                caught = sum(runs[run][j][cls] for cls in CLASSES[:3]) * scale
                ax.annotate(
                    _share_text(caught, as_share), (1, centre), xycoords=("axes fraction", "data"), xytext=(8, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=8,
                    color=INK if run == "scenario" else MUTED, fontweight="bold" if run == "scenario" else "normal",
                )  # fmt: skip
        ax.annotate(
            "prohibited, risk\nclass or duties", (1, 1), xycoords="axes fraction", xytext=(8, 4),
            textcoords="offset points", ha="left", va="bottom", fontsize=7, color=MUTED,
        )  # fmt: skip
        ax.set_yticks([])
        if as_share:
            ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
            ax.set_xlabel("share of all systems in the population (weighted)", fontsize=8, color=MUTED)
        else:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.set_xlabel("systems (weighted)", fontsize=8, color=MUTED)
        ax.tick_params(axis="x", colors=MUTED, labelsize=8, length=3)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6, zorder=1)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color("#999999")
        fig.suptitle("\n".join(title_lines), y=1 - 0.15 / height, va="top", fontsize=12, fontweight="bold")
        handles = [Patch(facecolor=CLASS_COLOURS[cls], edgecolor="none") for cls in CLASSES]
        fig.legend(
            handles, [CLASS_LABELS[cls] for cls in CLASSES], loc="upper center",
            bbox_to_anchor=(0.5, 1 - (0.25 + 0.22 * len(title_lines)) / height), ncol=4, frameon=False,
            fontsize=8, handlelength=1.2, handletextpad=0.4, columnspacing=1.4,
        )  # fmt: skip
        return render(fig)
