"""A heatmap of jurisdictions (rows) against themes (columns), each cell one category."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from ._style import CATEGORY_COLOURS, colours_for, new_figure, save, settings

EMPTY = "#ffffff"


def theme_heatmap(
    rows: list[str],
    columns: list[str],
    cells: dict[tuple[str, str], str],
    title: str,
    out_stem: Path,
    legend: dict[str, str] | None = None,
) -> list[Path]:
    """Colour each (row, column) cell by its category; write `<out_stem>.png` and `.svg`, return their paths.

    `cells` maps (row, column) to a category such as "required", "not required", "unknown",
    "binding law", "soft law" or "absent"; other categories get colours of their own. A cell left out
    stays white. `legend`, if given, maps categories to the text the legend shows for them, in the
    order given; categories it leaves out are listed after, under their own names.
    """
    rows, columns = list(rows), list(columns)
    if not rows or not columns:
        raise ValueError("theme_heatmap needs at least one row and one column")
    for axis, names in (("row", rows), ("column", columns)):
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate {axis} names: {sorted({n for n in names if names.count(n) > 1})}")
    row_set, col_set = set(rows), set(columns)
    for (row, col), value in cells.items():
        if row not in row_set:
            raise ValueError(f"cell ({row!r}, {col!r}): {row!r} is not one of the rows")
        if col not in col_set:
            raise ValueError(f"cell ({row!r}, {col!r}): {col!r} is not one of the columns")
        if not isinstance(value, str) or not value:
            raise ValueError(f"cell ({row!r}, {col!r}): the category must be a non-empty string, not {value!r}")

    present = [cells[(r, c)] for r in rows for c in columns if (r, c) in cells]
    order = [cat for cat in (legend or {}) if cat in present]
    order += [cat for cat in dict.fromkeys(present) if cat not in order]
    colours = colours_for(order, CATEGORY_COLOURS)

    index = {cat: i + 1 for i, cat in enumerate(order)}  # 0 is an empty cell
    grid = np.zeros((len(rows), len(columns)), dtype=int)
    for i, r in enumerate(rows):
        for j, c in enumerate(columns):
            if (r, c) in cells:
                grid[i, j] = index[cells[(r, c)]]
    cmap = ListedColormap([EMPTY, *(colours[cat] for cat in order)])

    longest_col = max(len(c) for c in columns)
    longest_row = max(len(r) for r in rows)
    cell = 0.42
    left = 0.3 + 0.075 * longest_row
    top = 0.7 + 0.055 * longest_col
    legend_h = 0.35 + 0.25 * ((len(order) + 3) // 4)
    width = max(6.0, left + cell * len(columns) + 0.4)
    left = max(left, (width - cell * len(columns)) / 2)  # centred when there is room
    height = top + cell * len(rows) + legend_h
    with settings():
        fig = new_figure(round(width, 2), round(height, 2))
        ax = fig.add_axes((left / width, legend_h / height, cell * len(columns) / width, cell * len(rows) / height))
        ax.imshow(grid, cmap=cmap, vmin=0, vmax=len(order), aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(columns)), columns, rotation=45, ha="left", rotation_mode="anchor")
        ax.set_yticks(range(len(rows)), rows)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
        ax.grid(which="minor", color="#ffffff", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        fig.suptitle(title, x=0.5, y=1 - 0.12 / height, va="top", fontsize=12, fontweight="bold")
        handles = [Patch(facecolor=colours[cat], edgecolor="#999999", linewidth=0.5) for cat in order]
        labels = [(legend or {}).get(cat, cat) for cat in order]
        if handles:
            fig.legend(
                handles,
                labels,
                loc="lower center",
                bbox_to_anchor=(0.5, 0.05 / height),
                ncol=min(4, len(order)),
                frameon=False,
                handletextpad=0.4,
                columnspacing=1.2,
            )
        return save(fig, out_stem)
