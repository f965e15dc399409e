"""The scenario picture (systems by class per jurisdiction, baseline and scenario) and the report's population
section, divergences and alignment counts."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import polars as pl
import pytest
from conftest import EXAMPLES

from regatlas.compare.fragmentation import compare
from regatlas.compare.landscape import landscape
from regatlas.engine.assess import assess
from regatlas.facts.profile import load_profile
from regatlas.pictures.scenario import CLASS_LABELS, scenario_classes_figure
from regatlas.report.html import place_name, render_html

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
DAY = "2026-12-02"


def row(j: str, prohibited: float = 0.0, risk_class: float = 0.0, duties: float = 0.0, none: float = 0.0) -> dict:
    return {"jurisdiction": j, "prohibited": prohibited, "risk_class": risk_class, "duties": duties, "none": none}


CLASSES = {
    "baseline": [
        row("EU", 300, 18_000, 166_000, 105_000),
        row("US", 0, 0, 8_800, 211_000),
        row("US-CA", 0, 0, 22_000, 198_000),
    ],
    "scenario": [
        row("EU", 300, 18_000, 166_000, 105_000),
        row("US", 0, 0, 9_500, 210_300),
        row("BR", 0, 5_000, 20_000, 30_000),
    ],
}
NAMES = {"EU": "European Union", "US": "United States", "US-CA": "California, United States", "BR": "Brazil"}


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter(f"{SVG_NS}text")]


def test_scenario_picture_is_deterministic():
    png, svg = scenario_classes_figure(CLASSES, "A scenario", NAMES, total=500_000)
    again = scenario_classes_figure(CLASSES, "A scenario", NAMES, total=500_000)
    assert (png, svg) == again
    assert png.startswith(PNG_SIGNATURE) and 10_000 < len(png) < 1_000_000
    assert svg.startswith("<?xml") and "<dc:date>" not in svg and len(svg) < 300_000


def test_scenario_picture_names_the_jurisdictions_and_the_classes():
    _, svg = scenario_classes_figure(CLASSES, "US federal law preempts state laws", NAMES, total=500_000)
    texts = svg_texts(svg)
    for name in NAMES.values():
        assert name in texts, name
    for label in CLASS_LABELS.values():
        assert label in texts, label
    assert "US federal law preempts state laws" in texts
    assert texts.count("baseline") == 4 and texts.count("scenario") == 4  # a pair of bars per jurisdiction
    assert not {"EU", "US", "US-CA", "BR"} & set(texts)  # no internal ids
    assert "share of all systems in the population (weighted)" in texts
    assert "36.9%" in texts  # EU: (300 + 18,000 + 166,000) of 500,000 systems meet a class above none


def test_scenario_picture_shows_a_jurisdiction_of_one_run_with_an_empty_bar():
    _, svg = scenario_classes_figure(CLASSES, "A scenario", NAMES)
    texts = svg_texts(svg)
    assert texts.count("not in the scenario") == 1  # California, removed
    assert texts.count("not in the baseline") == 1  # Brazil, added
    assert "systems (weighted)" in texts  # without a total, bars count systems
    assert "22,000" in texts and "25,000" in texts  # in a class above none: California before, Brazil after
    assert svg.count("stroke-dasharray") >= 2  # the two empty bars are dashed outlines


def test_scenario_picture_without_names_and_with_long_titles():
    png, svg = scenario_classes_figure(
        {"baseline": [row("XX", none=1.0)], "scenario": []}, "A rather long scenario title " * 6
    )
    assert png.startswith(PNG_SIGNATURE)
    texts = svg_texts(svg)
    assert "XX" in texts and "not in the scenario" in texts
    title = next(t for t in texts if t.startswith("A rather long"))
    assert "\n" in title or len(title) <= 68  # wrapped over several lines


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        ({"baseline": []}, "exactly the keys"),
        ({"baseline": [], "scenario": []}, "at least one jurisdiction"),
        ({"baseline": [row("EU", none=-1)], "scenario": []}, "must not be negative"),
        ({"baseline": [row("EU", none=float("nan"))], "scenario": []}, "finite number"),
        ({"baseline": [row("EU"), row("EU")], "scenario": []}, "appears twice"),
        ({"baseline": [{"none": 1}], "scenario": []}, "'jurisdiction' code"),
    ],
)
def test_scenario_picture_rejects_bad_data(classes, message):
    with pytest.raises(ValueError, match=message):
        scenario_classes_figure(classes, "bad")


def test_place_names_name_the_country_of_a_state(pack):
    assert place_name(pack, "US-CA") == "California, United States"
    assert place_name(pack, "US-NY-NYC") == "New York City, United States"
    assert place_name(pack, "EU") == "European Union"


# --- the report ----------------------------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=300)


EXTERNAL = re.compile(
    r"""<(script|link|img|iframe|object|embed)\b|@import|url\(\s*['"]?https?:|\ssrc\s*=\s*['"]?https?:"""
    r"""|<(use|image|feImage)\b[^>]*href\s*=\s*['"]?https?:""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def small_population(tmp_path_factory):
    path = tmp_path_factory.mktemp("population") / "population-2000.parquet"
    pl.read_parquet(EXAMPLES / "population.parquet").head(2_000).write_parquet(path)
    return path


def test_report_with_a_population_and_a_scenario(tmp_path, small_population):
    html = tmp_path / "r.html"
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    result = cli(
        "report", str(EXAMPLES / "cv-screening-us-eu.yaml"), "--as-of", DAY, "--html", str(html),
        "--population", str(small_population),
        "--scenario", str(EXAMPLES / "scenarios" / "us-federal-preemption.yaml"),
        "--pictures", str(pictures),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = html.read_text()
    section = text[text.index("<h2>4. Population and scenarios</h2>") :]
    assert "population-2000.parquet" in section and "2,000 profiles" in section
    for measure in ("systems with at least one duty", "mean fragmentation index", "compliance effort per system"):
        assert measure in section, measure
    assert "Scenario: US federal law preempts state and city AI laws" in section
    # The scenario's answer sentence (its wording belongs to simulate.changes.answer): effort falls without the states.
    assert re.search(r"<b>What changes:</b> yearly compliance effort per system [^<]*falls \d+%", section)
    assert "<th>baseline</th><th>scenario</th><th>change</th>" in section
    assert section.count("<svg") == 1 and text.count("<svg") == 5  # four pictures before, the scenario's here
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert "California, United States" in svg and "not in the scenario" in svg and "prohibited practice" in svg
    assert 'id="scenario1-' in svg  # ids made unique in the page
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    kept = sorted(p.name for p in pictures.iterdir())
    assert "scenario-us_federal_preemption.png" in kept and "scenario-us_federal_preemption.svg" in kept
    assert not list(tmp_path.glob(".*tmp*")) and not list(pictures.glob(".*tmp*"))


def test_report_scenario_needs_a_population(tmp_path):
    html = tmp_path / "r.html"
    result = cli(
        "report", str(EXAMPLES / "cv-screening.yaml"), "--html", str(html),
        "--scenario", str(EXAMPLES / "scenarios" / "us-federal-preemption.yaml"),
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "--scenario needs --population" in result.stderr and "Traceback" not in result.stderr
    assert not html.exists()


def test_report_checks_its_outputs_before_the_work(tmp_path, small_population):
    result = cli(
        "report", str(EXAMPLES / "cv-screening.yaml"), "--html", str(tmp_path / "r.html"),
        "--pdf", str(tmp_path / "missing" / "r.pdf"), "--population", str(small_population),
    )  # fmt: skip
    assert result.returncode == 2 and "folder does not exist" in result.stderr
    assert "simulating" not in result.stderr  # refused before the simulation ran
    assert not (tmp_path / "r.html").exists()  # all or nothing: no HTML without its PDF


def test_html_report_shows_divergences_and_principle_counts(pack):
    day = dt.date.fromisoformat(DAY)
    result = assess(pack, load_profile(EXAMPLES / "frontier-developer.yaml", pack.vocabulary), day)
    comparison = compare(result, pack.vocabularies)
    assert comparison.divergences and not comparison.conflicts
    text = render_html(pack, comparison, landscape(pack, day))
    part = text[text.index("<h3>Divergences") : text.index("<h2>3. Pictures")]
    first = comparison.divergences[0]
    assert f"({len(comparison.divergences)})</h3>" in part
    assert "different deadline" in part and first.explanation in part
    assert first.a.label in part and first.b.label in part  # both sides cited
    assert part.count("<tr>") == len(comparison.divergences) + 1
    assert "No conflicts found" in text
    alignment = text[text.index("How far instruments agree on principles") :]
    assert re.search(r"\(\d+\)</text>", alignment[: alignment.index("</svg>")])  # "OECD AI Principles (9)"
