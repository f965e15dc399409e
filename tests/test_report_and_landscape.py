"""The landscape of instruments, and the self-contained HTML report with its PDF."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest
from conftest import EXAMPLES

from regatlas.compare.landscape import jaccard, landscape

DAY = dt.date(2026, 11, 28)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=300)


def test_jaccard():
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3, abs=1e-3)
    assert jaccard(set(), set()) == 0.0


def test_landscape_participation_and_themes(pack):
    """world.md C3: the US and the UK declined Paris; China signed; the EU AI Act makes risk management binding
    in the EU, while nothing binding requires it in the UK."""
    ls = landscape(pack, DAY, ["US", "CN", "EU", "GB"])
    paris = ls.participation["intl_paris_2025"]
    assert paris["US"]["participation"] == "declined" and paris["GB"]["participation"] == "declined"
    assert paris["CN"]["participation"] == "signed"
    assert ls.theme_force[("EU", "risk_management")] == "binding_law"
    assert ("GB", "risk_management") not in ls.theme_force
    assert ls.theme_force[("CN", "content_labelling")] == "binding_law"


def test_alignment_is_symmetric_and_uses_principles(pack):
    ls = landscape(pack, DAY)
    a, b = "intl_oecd_ai_principles", "intl_unesco_ai_ethics"
    assert ls.alignment[(a, b)] == ls.alignment[(b, a)]
    expected = jaccard(
        set(pack.instruments[a].meta.instrument.principle_ids), set(pack.instruments[b].meta.instrument.principle_ids)
    )
    assert ls.alignment[(a, b)] == expected and ls.alignment[(a, a)] == 1.0


def test_landscape_command_json_and_markdown():
    data = json.loads(cli("landscape", "US", "CN", "--as-of", "2026-11-28", "--format", "json").stdout)
    assert data["format"] == "regatlas.landscape/1" and data["jurisdictions"] == ["US", "CN"]
    n = len(data["alignment"]["instruments"])
    assert len(data["alignment"]["matrix"]) == n and all(len(row) == n for row in data["alignment"]["matrix"])
    md = cli("landscape", "--format", "markdown").stdout
    assert md.startswith("# AI governance landscape") and "## Alignment" in md


def test_report_is_self_contained_and_has_a_pdf(tmp_path):
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    result = cli(
        "report",
        str(EXAMPLES / "cv-screening-us-eu.yaml"),
        "--as-of",
        "2026-11-28",
        "--html",
        str(html),
        "--pdf",
        str(pdf),
    )
    assert result.returncode == 0, result.stderr
    text = html.read_text()
    assert text.count("<svg") == 4  # themes, timeline, map, alignment
    assert not re.search(r"<(script|link|img)\b", text)  # no external requests of any kind
    assert not re.search(r'\ssrc="https?://', text)
    for heading in (
        "1. Assessment",
        "2. Comparison across jurisdictions",
        "3. Pictures",
        "Minimal control set",
        "Fragmentation index",
        "Conflicts: no single course of action satisfies both",
        "Divergences: both can be met, at extra work",
        "NYC Local Law 144",
        "Colorado",
    ):
        assert heading in text, heading
    assert "4. Population and scenarios" not in text  # only with --population
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000
    assert not list(tmp_path.glob(".*tmp*"))  # nothing half-written left behind


def test_report_keeps_png_and_svg_pictures(tmp_path):
    folder = tmp_path / "pictures"
    folder.mkdir()
    result = cli(
        "report",
        str(EXAMPLES / "text-to-video-global.yaml"),
        "--as-of",
        "2026-11-28",
        "--html",
        str(tmp_path / "r.html"),
        "--pictures",
        str(folder),
        "--map",
        "intl_bletchley_2023",
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        f"{stem}.{ext}" for stem in ("alignment", "map", "themes", "timeline") for ext in ("png", "svg")
    )
    assert all((folder / n).read_bytes()[:4] == b"\x89PNG" for n in names if n.endswith(".png"))
    assert "Bletchley" in (folder / "map.svg").read_text()


def test_report_into_a_missing_folder_fails_cleanly(tmp_path):
    result = cli("report", str(EXAMPLES / "cv-screening.yaml"), "--html", str(tmp_path / "no" / "r.html"))
    assert result.returncode == 2 and "folder does not exist" in result.stderr and "Traceback" not in result.stderr
    bad_map = cli("report", str(EXAMPLES / "cv-screening.yaml"), "--html", str(tmp_path / "r.html"), "--map", "parys")
    assert bad_map.returncode == 2 and "unknown instrument" in bad_map.stderr
    assert not (tmp_path / "r.html").exists()
