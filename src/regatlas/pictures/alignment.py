"""How alike instruments or jurisdictions are: a symmetric similarity matrix with values in the cells."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ._style import new_figure, save, settings, text_colour

CMAP = "YlGnBu"


def alignment_heatmap(
    labels: list[str],
    matrix: list[list[float]],
    title: str,
    out_stem: Path,
    sizes: list[int] | None = None,
    min_size: int = 4,
) -> list[Path]:
    """Draw a symmetric 0..1 similarity matrix; write `<out_stem>.png` and `.svg`, return their paths.

    sizes, if given, is the number of principles behind each label: it is shown after the label ("EU AI Act (15)"),
    and a cell whose row or column has fewer than `min_size` is marked † (low evidence), as the caption explains.
    """
    labels = [str(label) for label in labels]
    n = len(labels)
    if n == 0:
        raise ValueError("alignment_heatmap needs at least one label")
    if len(matrix) != n or any(len(row) != n for row in matrix):
        raise ValueError(f"the matrix must be {n}×{n}, one row and one column per label")
    if sizes is not None:
        if len(sizes) != n or any(not isinstance(k, int) or k < 0 for k in sizes):
            raise ValueError(f"sizes must give {n} counts of principles (integers >= 0), one per label")
        labels = [f"{label} ({k})" for label, k in zip(labels, sizes, strict=True)]
    weak = [sizes is not None and sizes[i] < min_size for i in range(n)]
    values = np.array(matrix, dtype=float)
    bad = [(i, j) for i in range(n) for j in range(n) if not (math.isfinite(values[i, j]) and 0 <= values[i, j] <= 1)]
    if bad:
        i, j = bad[0]
        raise ValueError(f"matrix[{i}][{j}] = {matrix[i][j]!r}: similarities must lie between 0 and 1")
    if not np.allclose(values, values.T, atol=1e-9):
        i, j = np.argwhere(~np.isclose(values, values.T, atol=1e-9))[0]
        raise ValueError(f"the matrix is not symmetric: [{i}][{j}] = {values[i, j]} but [{j}][{i}] = {values[j, i]}")

    longest = max(len(label) for label in labels)
    cell = 0.55
    margin = 0.4 + 0.075 * longest
    top = 0.7 + 0.055 * longest
    width = margin + cell * n + 1.4
    note = any(weak)
    height = top + cell * n + 0.4 + (0.3 if note else 0)
    bottom = 0.3 + (0.3 if note else 0)
    with settings():
        fig = new_figure(round(width, 2), round(height, 2))
        ax = fig.add_axes((margin / width, bottom / height, cell * n / width, cell * n / height))
        image = ax.imshow(values, cmap=CMAP, vmin=0, vmax=1, interpolation="nearest")
        cmap = image.get_cmap()
        for i in range(n):
            for j in range(n):
                colour = text_colour(cmap(values[i, j]))
                mark = "†" if i != j and (weak[i] or weak[j]) else ""
                ax.text(j, i, f"{values[i, j]:.2f}{mark}", ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks(range(n), labels, rotation=45, ha="left", rotation_mode="anchor")
        ax.set_yticks(range(n), labels)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        cax = fig.add_axes(((margin + cell * n + 0.25) / width, bottom / height, 0.18 / width, cell * n / height))
        bar = fig.colorbar(image, cax=cax)
        bar.set_label("similarity")
        bar.outline.set_visible(False)
        fig.suptitle(title, y=1 - 0.12 / height, va="top", fontsize=12, fontweight="bold")
        if note:
            fig.text(
                0.1 / width,
                0.12 / height,
                f"(n) principles per instrument; † low evidence: fewer than {min_size} principles on a side",
                fontsize=8,
                va="bottom",
            )
        return save(fig, out_stem)
