"""Alignment scores come with the number of principles behind them, and few principles are flagged."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from test_pictures import check_files, svg_text

from regatlas.compare.landscape import MIN_PRINCIPLES, landscape
from regatlas.pictures import alignment_heatmap
from regatlas.report.landscape_report import landscape_json, render_landscape_markdown

DAY = dt.date(2026, 11, 28)


def test_overlap_and_low_evidence(pack):
    ls = landscape(pack, DAY, ["EU"])
    # GB 45438-2025 and China's labelling measures each name one principle (content provenance): 1.00, but thin.
    a, b = "cn_gb45438", "cn_labelling_measures"
    assert ls.alignment[(a, b)] == 1.0 and ls.overlap(a, b) == (1, 1, 1) and ls.low_evidence(a, b)
    eu, coe = "eu_ai_act", "intl_coe_cets_225"
    na, nb, shared = ls.overlap(eu, coe)
    assert min(na, nb) >= MIN_PRINCIPLES and not ls.low_evidence(eu, coe)
    assert ls.alignment[(eu, coe)] == round(shared / (na + nb - shared), 3)


def test_landscape_json_gives_the_counts_behind_every_score(pack):
    data = landscape_json(landscape(pack, DAY, ["EU"]))["alignment"]
    assert data["min_principles"] == MIN_PRINCIPLES
    n = len(data["instruments"])
    assert len(data["pairs"]) == n * (n - 1) // 2
    pair = next(p for p in data["pairs"] if {p["a"], p["b"]} == {"cn_gb45438", "cn_labelling_measures"})
    assert (pair["score"], pair["a_principles"], pair["b_principles"], pair["shared"]) == (1.0, 1, 1, 1)
    assert pair["low_evidence"] is True
    for p in data["pairs"]:
        assert p["low_evidence"] == (min(p["a_principles"], p["b_principles"]) < MIN_PRINCIPLES)
        assert data["principles"][p["a"]] == p["a_principles"]


def test_landscape_text_and_markdown_flag_low_evidence(pack):
    md = render_landscape_markdown(landscape(pack, DAY, ["EU"]))
    assert "| cn_gb45438 (1) |" in md and "1.00 (1)†" in md
    assert f"fewer than {MIN_PRINCIPLES} principles on a side" in md
    text = subprocess.run(
        [sys.executable, "-m", "regatlas", "landscape", "EU", "--as-of", "2026-11-28"],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": ""},
    ).stdout
    assert "cn_gb45438 ~ cn_labelling_measures  (|A|=1, |B|=1, |A∩B|=1)  [low evidence]" in text
    assert "eu_ai_act ~ intl_coe_cets_225  (|A|=15, |B|=12, |A∩B|=12)\n" in text


def test_alignment_picture_marks_low_evidence_cells(tmp_path):
    labels, matrix = ["A", "B", "C"], [[1.0, 1.0, 0.5], [1.0, 1.0, 0.4], [0.5, 0.4, 1.0]]
    stem = tmp_path / "alignment"
    root = check_files(alignment_heatmap(labels, matrix, "Alignment", stem, sizes=[2, 2, 6]), stem)
    text = svg_text(root)
    assert "A (2)" in text and "C (6)" in text and "1.00†" in text and "0.40†" in text
    assert "fewer than 4 principles" in text
    plain = svg_text(check_files(alignment_heatmap(labels, matrix, "Alignment", tmp_path / "p"), tmp_path / "p"))
    assert "†" not in plain and "fewer than" not in plain
    strong = alignment_heatmap(labels, matrix, "Alignment", tmp_path / "s", sizes=[5, 5, 6])
    assert "†" not in svg_text(check_files(strong, tmp_path / "s"))


def test_alignment_picture_rejects_bad_sizes(tmp_path):
    with pytest.raises(ValueError, match="sizes must give 2"):
        alignment_heatmap(["A", "B"], [[1.0, 0.5], [0.5, 1.0]], "Bad", tmp_path / "bad", sizes=[1])
