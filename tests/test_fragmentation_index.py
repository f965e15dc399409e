"""The fragmentation index and the common core over the jurisdictions that bind the system (docs/compare.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES

from regatlas.compare.fragmentation import IndexResult, compare, effort_of, fragmentation_index
from regatlas.engine.assess import assess
from regatlas.facts.profile import load_profile

DAY = dt.date(2026, 11, 28)


def comparison(pack, name: str):
    return compare(assess(pack, load_profile(EXAMPLES / f"{name}.yaml", pack.vocabulary), DAY), pack.vocabularies)


def test_the_worked_example_of_the_docs():
    """docs/compare.md: EU {risk 4, notice 1, logs 2}, US-CA {notice 1, logs 2}, US-NY {notice 1}."""
    effort = {"risk_management": 4, "transparency_notice": 1, "record_keeping": 2}
    units = {
        "EU": {"risk_management", "transparency_notice", "record_keeping"},
        "US-CA": {"transparency_notice", "record_keeping"},
        "US-NY": {"transparency_notice"},
    }
    r = fragmentation_index(units, effort)
    assert r == IndexResult(
        index=round(8 / 11, 4),
        core=["transparency_notice"],
        shared={"record_keeping": 2, "risk_management": 1, "transparency_notice": 3},
        jurisdictions=3,
        units=6,
        outside_units=3,
    )


def test_one_jurisdiction_has_everything_in_common():
    r = fragmentation_index({"EU": {"risk_management", "ai_literacy"}}, {"risk_management": 4})
    assert (r.index, r.core, r.jurisdictions, r.outside_units) == (0.0, ["ai_literacy", "risk_management"], 1, 0)


def test_a_place_without_duties_does_not_empty_the_core():
    r = fragmentation_index({"EU": {"risk_management"}, "US-CA": {"risk_management"}, "JP": set()}, {})
    assert (r.index, r.core, r.jurisdictions, r.shared) == (0.0, ["risk_management"], 2, {"risk_management": 2})


def test_nothing_shared_gives_one_and_no_units_gives_zero():
    r = fragmentation_index({"EU": {"a"}, "US-CA": {"b"}}, {"a": 3})
    assert (r.index, r.core, r.outside_units) == (1.0, [], 2)
    assert fragmentation_index({}, {}).index == 0.0


def test_missing_effort_counts_as_one():
    r = fragmentation_index({"EU": {"a", "b"}, "US-CA": {"a"}}, {"a": 2})
    assert r.index == pytest.approx(1 / 5, abs=1e-4)


def test_cv_screening_in_the_eu_alone_is_not_fragmented(pack):
    """Before: with one jurisdiction the core was empty and the index 1.0; everything one place asks is common."""
    c = comparison(pack, "cv-screening")
    assert c.jurisdictions == ["EU"]
    assert c.index == 0.0 and c.common_core == c.themes and c.specific == {}
    assert set(c.shared.values()) == {1}


def test_compare_uses_the_pure_index(pack):
    for name in ("cv-screening-us-eu", "frontier-developer", "loan-decisions-uk-quebec-eu", "text-to-video-global"):
        c = comparison(pack, name)
        units = {j: {t for t in c.themes if c.matrix[(j, t)]} for j in c.jurisdictions}
        r = fragmentation_index(units, effort_of(pack.vocabularies))
        assert (c.index, c.common_core, c.shared, c.units, c.outside_units) == (
            r.index,
            r.core,
            r.shared,
            r.units,
            r.outside_units,
        )


def test_the_core_is_over_binding_jurisdictions_with_shared_counts(pack):
    """Frontier developer: five places bind it (the EU, Japan, Korea, California, New York). Utah does not: its chat
    app discloses that it is an AI from the outset and throughout, and the Utah Code § 13-77-104 safe harbour covers
    every duty of § 13-77-103 (issue 10). Japan's AI Promotion Act asks only cooperation, so cooperation with the
    authorities is the only theme common to all five; shared-by counts show how close the others come."""
    c = comparison(pack, "frontier-developer")
    assert c.jurisdictions == ["EU", "JP", "KR", "US-CA", "US-NY"]
    assert c.common_core == ["cooperation_authorities"] and c.index < 1.0
    assert c.shared["cooperation_authorities"] == 5 and c.shared["risk_management"] == 4
    assert c.shared["transparency_notice"] == 4 and c.shared["user_controls"] == 1
    # Loan decisions: every place (the EU, the UK, Quebec) asks for notice, human review and contest rights.
    loans = comparison(pack, "loan-decisions-uk-quebec-eu")
    assert loans.common_core == ["complaint_appeal", "human_oversight", "transparency_notice"]
    assert all(loans.shared[t] == 3 for t in loans.common_core) and loans.shared["risk_management"] == 1
