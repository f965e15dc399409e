"""What every picture shares: fixed settings, colours, and writing PNG and SVG the same way every time.

Figures are built on matplotlib's Agg canvas without pyplot, inside a style context that starts from
matplotlib's defaults, so a user's matplotlibrc cannot change the output. SVG keeps text as text (so
titles and legends can be searched), uses a fixed hash salt for its ids and carries no date, so the
same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

import matplotlib as mpl
import matplotlib.colors
import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 110

RC: dict[str, object] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, so it is on every machine
    "font.size": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "regatlas",
    "path.simplify": True,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
}

SVG_METADATA = {"Date": None}
PNG_METADATA: dict[str, str | None] = {}

# Participation in an instrument, in the order the legend lists them.
PARTICIPATION_COLOURS: dict[str, str] = {
    "ratified": "#1a7a3c",
    "acceded": "#4aa564",
    "approved": "#9bd17d",
    "signed": "#2c6fb5",
    "endorsed": "#6fa8dc",
    "adhered": "#3f3d99",
    "committed": "#a89fd8",
    "declined": "#f08a3c",
    "withdrawn": "#c62828",
    "absent": "#d9d9d9",
}

# Default colours for the categories the theme heatmap usually shows.
CATEGORY_COLOURS: dict[str, str] = {
    "required": "#c0392b",
    "not required": "#f5d7a8",
    "unknown": "#bdbdbd",
    "binding law": "#1f4e8c",
    "soft law": "#7fb2e5",
    "absent": "#eeeeee",
}

# Further categories take these in order of first appearance.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
)

OCEAN = "#f2f6fa"
BORDER = "#ffffff"
INK = "#222222"
MUTED = "#666666"


@contextlib.contextmanager
def settings() -> Iterator[None]:
    """matplotlib's defaults plus ours, whatever the caller's rcParams say; restored afterwards."""
    with mpl.style.context("default"), mpl.rc_context(RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def stem_paths(out_stem: Path) -> tuple[Path, Path]:
    out_stem = Path(out_stem)
    # Not with_suffix: a stem such as "oecd.ai-principles" has a dot that is not a suffix.
    return out_stem.parent / f"{out_stem.name}.png", out_stem.parent / f"{out_stem.name}.svg"


def render(fig: Figure) -> tuple[bytes, str]:
    """The figure as PNG bytes and SVG text, in memory."""
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=DPI, metadata=PNG_METADATA)
    svg = io.StringIO()
    fig.savefig(svg, format="svg", metadata=SVG_METADATA)
    return png.getvalue(), _shorten_paths(svg.getvalue())


_collector: ContextVar[dict[Path, bytes] | None] = ContextVar("regatlas_pictures", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[dict[Path, bytes]]:
    """Within the block, pictures are kept in the dict it gives (path -> file content) rather than written.

    A command that writes pictures beside other outputs (the report's --html, --pdf and --pictures) gets them
    this way and writes everything with one outputs.write_files call: all of it or none.
    """
    files: dict[Path, bytes] = {}
    token = _collector.set(files)
    try:
        yield files
    finally:
        _collector.reset(token)


def save(fig: Figure, out_stem: Path) -> list[Path]:
    """Write `<out_stem>.png` and `<out_stem>.svg` with the safe writer (or keep them, see `collecting`)."""
    from ..outputs import bytes_writer, write_files

    png_path, svg_path = stem_paths(out_stem)
    png, svg = render(fig)
    files = {png_path: png, svg_path: svg.encode("utf-8")}
    collector = _collector.get()
    if collector is not None:
        collector.update(files)
    else:
        png_path.parent.mkdir(parents=True, exist_ok=True)
        write_files([(path, bytes_writer(data), str(out_stem)) for path, data in files.items()])
    return [png_path, svg_path]


_PATH_DATA = re.compile(r'(?<= )d="([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+")


def _round(match: re.Match[str]) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _shorten_paths(svg_text: str) -> str:
    """Round path coordinates to 1/100 pt: matplotlib writes six decimals, which more than doubles a map's size."""
    return _PATH_DATA.sub(lambda m: 'd="' + _NUMBER.sub(_round, m.group(1)) + '"', svg_text)


def colours_for(categories: list[str], known: dict[str, str]) -> dict[str, str]:
    """A colour per category: the known ones first, then the palette in order of appearance."""
    out: dict[str, str] = {}
    spare = iter(c for c in PALETTE if c not in known.values())
    for cat in categories:
        if cat in out:
            continue
        if cat in known:
            out[cat] = known[cat]
        else:
            out[cat] = next(spare, "#555555")
    return out


def text_colour(colour: object) -> str:
    """Black or white, whichever reads better on the given background."""
    r, g, b = mpl.colors.to_rgb(colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.5 else "#ffffff"
