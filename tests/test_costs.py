"""The cost table per control theme: defaults with sources, overrides, and located errors."""

from __future__ import annotations

import pytest

from regatlas.errors import RegatlasError
from regatlas.simulate.costs import load_costs


def test_defaults_cover_every_theme_with_a_source(pack):
    table = load_costs()
    assert set(table.per_theme) == set(pack.vocabularies.themes)
    assert table.currency == "EUR"
    for theme, value in table.per_theme.items():
        assert value >= 0
        source = table.source(theme)
        assert source.confidence in ("H", "M", "L")
        assert source.source or source.reason, theme
        if source.confidence == "L":
            assert source.reason, theme
    # the five requirements priced by the 2021 study add up to its EUR 29,277 per AI unit
    study = ["data_governance", "technical_documentation", "record_keeping", "transparency_notice", "human_oversight",
             "accuracy_robustness"]  # fmt: skip
    assert sum(table.per_theme[t] for t in study) == 29_277


def test_override_changes_one_figure(tmp_path):
    path = tmp_path / "costs.yaml"
    path.write_text("costs:\n  human_oversight:\n    eur_per_year: 12000\n    source: our budget\n")
    default = load_costs()
    table = load_costs(path)
    assert table.per_theme["human_oversight"] == 12000
    assert table.source("human_oversight").file == str(path)
    assert table.source("human_oversight").source == "our budget"
    changed = {t for t in table.per_theme if table.per_theme[t] != default.per_theme[t]}
    assert changed == {"human_oversight"}


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("costs:\n  human_oversite: {eur_per_year: 5}\n", 2, "costs.human_oversite", "unknown theme"),
        ("costs:\n  bias_audit:\n    eur_per_year: -3\n", 3, "costs.bias_audit.eur_per_year", "at least 0"),
        ("costs:\n  consent:\n    eur_per_year: lots\n", 3, "costs.consent.eur_per_year", "must be a number"),
    ],
)
def test_bad_override_names_file_line_and_field(tmp_path, text, line, field, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(RegatlasError) as caught:
        load_costs(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line
    assert problem.path == field
    assert message in problem.message
    assert f"{path}:{line}: {field}" in str(caught.value)


def test_unknown_theme_suggests_the_nearest(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("costs:\n  risk_managment: 5\n")
    with pytest.raises(RegatlasError) as caught:
        load_costs(path)
    assert caught.value.problems[0].suggestion == "risk_management"


def test_explicit_theme_list(tmp_path):
    table = load_costs(themes=["human_oversight", "bias_audit"])
    assert set(table.per_theme) == {"human_oversight", "bias_audit"}
    with pytest.raises(RegatlasError):
        table.source("consent")
