"""Pictures: each writes a PNG and an SVG, deterministically, and the map colours what it is told to."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from regatlas.pictures import alignment_heatmap, theme_heatmap, timeline, world_map
from regatlas.pictures._style import PARTICIPATION_COLOURS
from regatlas.pictures.worldmap import EU_MEMBERS_FALLBACK, SOUTH, countries, equal_earth, resolve_parties

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
DAY = dt.date(2025, 6, 1)


def check_files(paths: list[Path], stem: Path, *, min_png: int = 5_000, max_png: int = 1_500_000) -> ET.Element:
    assert paths == [stem.parent / f"{stem.name}.png", stem.parent / f"{stem.name}.svg"]
    png, svg = paths
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert min_png < len(data) < max_png
    assert svg.stat().st_size < 1_000_000
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text
    return ET.fromstring(text)


def svg_text(root: ET.Element) -> str:
    return " ".join(t for el in root.iter(f"{SVG_NS}text") for t in el.itertext())


def fill_of(root: ET.Element, gid: str) -> str:
    group = root.find(f".//{SVG_NS}g[@id='{gid}']")
    assert group is not None, f"no element with id {gid}"
    path = group.find(f"{SVG_NS}path")
    assert path is not None
    match = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", path.get("style", ""))
    assert match, path.get("style")
    return match.group(1).lower()


# --- world map ---------------------------------------------------------------------------------------


def test_map_geometry_has_the_awkward_codes():
    codes = {c.code for c in countries()}
    # France and Norway carry "-99" in ISO_A2; Kosovo has no ISO code but a conventional one.
    assert {"FR", "NO", "XK", "DE", "US", "CN", "MT", "SG", "TW"} <= codes
    assert "AQ" not in codes
    assert sum(len(ring) for c in countries() for ring in c.rings) < 40_000


def test_world_map_writes_both_files_and_colours_parties(tmp_path, pack):
    stem = tmp_path / "maps" / "convention"
    parties = {"US": "signed", "FR": "ratified", "CN": "declined", "NO": "withdrawn", "XK": "endorsed"}
    paths = world_map(parties, "Framework Convention on AI", stem, registry=pack.registry, day=DAY)
    root = check_files(paths, stem, min_png=50_000)
    text = svg_text(root)
    assert "Framework Convention on AI" in text
    for label in ("signed", "ratified", "declined", "withdrawn", "endorsed", "absent"):
        assert label in text
    assert "acceded" not in text  # only the categories present
    assert fill_of(root, "country-US") == PARTICIPATION_COLOURS["signed"]
    assert fill_of(root, "country-FR") == PARTICIPATION_COLOURS["ratified"]
    assert fill_of(root, "country-NO") == PARTICIPATION_COLOURS["withdrawn"]
    assert fill_of(root, "country-XK") == PARTICIPATION_COLOURS["endorsed"]
    assert fill_of(root, "country-BR") == PARTICIPATION_COLOURS["absent"]
    assert fill_of(root, "country-US") != fill_of(root, "country-BR")


def test_world_map_png_pixels_differ_between_party_and_absent(tmp_path):
    png, _ = world_map({"US": "signed"}, "Pixels", tmp_path / "px")
    image = imread(png)
    height, width = image.shape[:2]

    # Kansas (-98, 38) and central Brazil (-50, -10) in figure pixels, from the map's own projection.
    def pixel(lon: float, lat: float):
        x, y = equal_earth(np.array([lon, 180.0, 0.0]), np.array([lat, 0.0, SOUTH]))
        xmax = x[1] * 1.005
        ymax = float(equal_earth(np.array([180.0]), np.array([90.0]))[1][0]) * 1.01
        ymin = y[2]
        # The axes box is (0.01, 0.13, 0.98, 0.80) of the figure, the map centred in it with equal aspect.
        ax_w, ax_h = 0.98 * width, 0.80 * height
        scale = min(ax_w / (2 * xmax), ax_h / (ymax - ymin))
        cx = 0.01 * width + ax_w / 2 + x[0] * scale
        cy = height - (0.13 * height + ax_h / 2 + (y[0] - (ymax + ymin) / 2) * scale)
        return image[round(cy), round(cx), :3]

    us, br = pixel(-98, 38), pixel(-50, -10)
    assert tuple(round(v, 2) for v in us) == tuple(round(v, 2) for v in to_rgb(PARTICIPATION_COLOURS["signed"]))
    assert tuple(round(v, 2) for v in br) == tuple(round(v, 2) for v in to_rgb(PARTICIPATION_COLOURS["absent"]))


def test_eu_expands_to_member_states(tmp_path, pack):
    paths = world_map({"EU": "signed", "HU": "declined"}, "EU only", tmp_path / "eu", registry=pack.registry, day=DAY)
    root = ET.parse(paths[1]).getroot()
    assert fill_of(root, "country-DE") == PARTICIPATION_COLOURS["signed"]
    assert fill_of(root, "country-HU") == PARTICIPATION_COLOURS["declined"]  # its own entry wins
    assert fill_of(root, "country-GB") == PARTICIPATION_COLOURS["absent"]  # not a member in 2025
    assert fill_of(root, "country-CH") == PARTICIPATION_COLOURS["absent"]


def test_eu_membership_follows_the_date(pack):
    before_brexit = resolve_parties({"EU": "signed"}, pack.registry, dt.date(2019, 1, 1))
    after = resolve_parties({"EU": "signed"}, pack.registry, DAY)
    assert before_brexit["GB"] == "signed"
    assert "GB" not in after
    # Without a registry, the built-in list of the 27.
    assert set(resolve_parties({"EU": "signed"})) == set(EU_MEMBERS_FALLBACK)
    assert set(after) == set(EU_MEMBERS_FALLBACK)


def test_world_map_is_deterministic(tmp_path):
    parties = {"EU": "endorsed", "JP": "adhered", "SG": "committed"}
    first = world_map(parties, "Twice", tmp_path / "a" / "map")
    second = world_map(parties, "Twice", tmp_path / "b" / "map")
    assert first[1].read_bytes() == second[1].read_bytes()


def test_world_map_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match=r"unknown participation 'joined' for 'FR'.*signed, ratified"):
        world_map({"FR": "joined"}, "Bad", tmp_path / "bad")
    with pytest.raises(ValueError, match="unknown jurisdiction code 'France'"):
        world_map({"France": "signed"}, "Bad", tmp_path / "bad")
    assert not (tmp_path / "bad.png").exists()


def test_world_map_notes_parties_it_cannot_draw(tmp_path):
    # "ZZ" is well formed but no map unit has it.
    _, svg = world_map({"ZZ": "signed"}, "Off the map", tmp_path / "off")
    assert "Not on the map: ZZ (signed)" in svg_text(ET.parse(svg).getroot())


# --- theme heatmap -----------------------------------------------------------------------------------

ROWS = ["EU", "US-CO", "CN", "KR"]
COLUMNS = ["transparency", "risk management", "incident reporting"]
CELLS = {
    ("EU", "transparency"): "required",
    ("EU", "risk management"): "required",
    ("EU", "incident reporting"): "required",
    ("US-CO", "transparency"): "required",
    ("US-CO", "risk management"): "not required",
    ("CN", "transparency"): "binding law",
    ("CN", "risk management"): "soft law",
    ("KR", "incident reporting"): "unknown",
    ("KR", "transparency"): "absent",
}


def test_theme_heatmap(tmp_path):
    stem = tmp_path / "themes"
    paths = theme_heatmap(ROWS, COLUMNS, CELLS, "Duties by theme", stem, legend={"required": "required by law"})
    root = check_files(paths, stem)
    text = svg_text(root)
    assert "Duties by theme" in text
    for label in ("required by law", "not required", "binding law", "soft law", "unknown", "absent"):
        assert label in text
    for name in ROWS + COLUMNS:
        assert name in text
    again = theme_heatmap(
        ROWS, COLUMNS, CELLS, "Duties by theme", tmp_path / "again", legend={"required": "required by law"}
    )
    assert again[1].read_bytes() == paths[1].read_bytes()


def test_theme_heatmap_rejects_cells_outside_the_grid(tmp_path):
    with pytest.raises(ValueError, match="'JP' is not one of the rows"):
        theme_heatmap(ROWS, COLUMNS, {("JP", "transparency"): "required"}, "Bad", tmp_path / "bad")


# --- timeline ----------------------------------------------------------------------------------------

ITEMS = [
    ("EU", "Prohibitions apply", dt.date(2025, 2, 2)),
    ("EU", "GPAI obligations", dt.date(2025, 8, 2)),
    ("EU", "High-risk (Annex III)", dt.date(2026, 8, 2)),
    ("US-CO", "Colorado AI Act", dt.date(2026, 6, 30)),
    ("KR", "AI Basic Act", dt.date(2026, 1, 22)),
]


def test_timeline(tmp_path):
    stem = tmp_path / "timeline"
    paths = timeline(ITEMS, "When duties apply", stem, today=dt.date(2025, 11, 28))
    root = check_files(paths, stem)
    text = svg_text(root)
    for expected in ("When duties apply", "today 2025-11-28", "Colorado AI Act", "2026-06-30", "US-CO", "KR"):
        assert expected in text
    again = timeline(ITEMS, "When duties apply", tmp_path / "again", today=dt.date(2025, 11, 28))
    assert again[1].read_bytes() == paths[1].read_bytes()


def test_timeline_rejects_items_without_dates(tmp_path):
    with pytest.raises(ValueError, match=r"expected \(jurisdiction, label, datetime\.date\)"):
        timeline([("EU", "soon", "2026-08-02")], "Bad", tmp_path / "bad")


# --- alignment heatmap -------------------------------------------------------------------------------

LABELS = ["EU AI Act", "Colorado AI Act", "OECD Principles"]
MATRIX = [[1.0, 0.42, 0.3], [0.42, 1.0, 0.2], [0.3, 0.2, 1.0]]


def test_alignment_heatmap(tmp_path):
    stem = tmp_path / "alignment"
    paths = alignment_heatmap(LABELS, MATRIX, "Alignment", stem)
    root = check_files(paths, stem)
    text = svg_text(root)
    for expected in ("Alignment", "similarity", "0.42", "0.20", "1.00", *LABELS):
        assert expected in text
    again = alignment_heatmap(LABELS, MATRIX, "Alignment", tmp_path / "again")
    assert again[1].read_bytes() == paths[1].read_bytes()


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1.0, 0.5], [0.4, 1.0]], "not symmetric"),
        ([[1.0, 1.5], [1.5, 1.0]], "between 0 and 1"),
        ([[1.0, 0.5]], "2×2"),
    ],
)
def test_alignment_heatmap_rejects_bad_matrices(tmp_path, matrix, message):
    with pytest.raises(ValueError, match=message):
        alignment_heatmap(["A", "B"], matrix, "Bad", tmp_path / "bad")
