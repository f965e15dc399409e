"""When duties apply: one lane per jurisdiction, a labelled point per date, a line for today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib.dates as mdates

from ._style import INK, MUTED, PALETTE, new_figure, save, settings


def timeline(
    items: list[tuple[str, str, dt.date]],
    title: str,
    out_stem: Path,
    today: dt.date | None = None,
) -> list[Path]:
    """Draw (jurisdiction, label, date) items on lanes; write `<out_stem>.png` and `.svg`, return their paths.

    Lanes follow the order in which jurisdictions first appear. `today` (default: the current date)
    is marked by a vertical line.
    """
    items = list(items)
    if not items:
        raise ValueError("timeline needs at least one (jurisdiction, label, date) item")
    for item in items:
        if len(item) != 3 or not isinstance(item[2], dt.date):
            raise ValueError(f"timeline item {item!r}: expected (jurisdiction, label, datetime.date)")
    today = today or dt.date.today()
    lanes = list(dict.fromkeys(str(j) for j, _, _ in items))
    lane_of = {j: i for i, j in enumerate(lanes)}
    ordered = sorted(items, key=lambda it: (lane_of[str(it[0])], it[2], it[1]))

    first = min([d for _, _, d in items] + [today])
    last = max([d for _, _, d in items] + [today])
    low, high = _padded(first, last)
    lane_h = 0.75
    height = 1.4 + lane_h * len(lanes)
    with settings():
        fig = new_figure(11.0, round(height, 2))
        ax = fig.add_axes((0.14, 0.45 / height, 0.80, (height - 1.15) / height))
        for lane in range(len(lanes)):
            ax.axhline(lane, color="#e3e3e3", linewidth=6, zorder=0, solid_capstyle="butt")
        placed: dict[int, int] = {}
        for jurisdiction, label, day in ordered:
            lane = lane_of[str(jurisdiction)]
            colour = PALETTE[lane % len(PALETTE)]
            ax.plot([day], [lane], marker="o", markersize=7, color=colour, markeredgecolor="#ffffff", zorder=3)
            # Alternate labels above and below the lane so neighbours overlap less.
            n = placed.get(lane, 0)
            placed[lane] = n + 1
            above = n % 2 == 0
            ax.annotate(
                f"{label}\n{day.isoformat()}",
                (day, lane),
                xytext=(0, 9 if above else -9),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontsize=7.5,
                color=INK,
                zorder=4,
            )
        ax.axvline(today, color="#c62828", linewidth=1.2, linestyle="--", zorder=2)
        ax.annotate(
            f"today {today.isoformat()}",
            (today, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -2),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=8,
            color="#c62828",
        )
        ax.set_yticks(range(len(lanes)), lanes)
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        ax.set_xlim(low, high)
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", colors=MUTED)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        fig.suptitle(title, y=1 - 0.15 / height, va="top", fontsize=12, fontweight="bold")
        return save(fig, out_stem)


def _padded(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The x range: the dates plus 6% of the span either side, clipped to the dates Python can hold.

    An as-of date such as 9990-01-01 lies within a pad of date.max, where `last + pad` would overflow.
    """
    pad = dt.timedelta(days=round(max((last - first).days, 60) * 0.06))
    low = first - pad if first - dt.date.min > pad else dt.date.min
    high = last + pad if dt.date.max - last > pad else dt.date.max
    return low, high
