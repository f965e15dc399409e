"""Comparison: controls, conflicts derived from the rules, the fragmentation index, and golden comparisons."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import textwrap

import pytest
from conftest import EXAMPLES, ROOT, URL, make_profile, write_pack

from regatlas.compare.fragmentation import compare
from regatlas.compare.pairs import CONFLICT_CATEGORIES, DutyPair, potential_pairs
from regatlas.engine.assess import assess
from regatlas.facts.profile import load_profile
from regatlas.report.compare_report import comparison_json
from regatlas.rules.loader import load_pack

DAY = dt.date(2026, 11, 28)
GOLDEN = ROOT / "tests" / "golden"
MULTI = ["cv-screening-us-eu", "text-to-video-global", "frontier-developer", "loan-decisions-uk-quebec-eu"]


def duty(rid: str, themes: str, specs: str = "", kind: str = "obligation") -> str:
    return textwrap.indent(
        textwrap.dedent(f"""
        - id: {rid}
          kind: {kind}
          title: {rid}
          addressee: [provider]
          themes: [{themes}]
          {"specs: [" + specs + "]" if specs else ""}
          citation: {{article: "1", url: "{URL}"}}
          status: verified
          versions:
            - valid_from: 2024-08-01
              act: test act
              applies_from: 2025-01-01
              when: system.is_ai_system
          tests:
            - name: holds
              facts: {{system.is_ai_system: true}}
              expect: "yes"
    """),
        "  ",
    )


def two_place_pack(tmp_path, eu_rules: str, ca_rules: str, vocabulary_edit: tuple[str, str] | None = None):
    """One instrument for the EU and one for California, each with the given rules; `vocabulary_edit` replaces
    one piece of text in the copied packs/themes/themes.yaml."""
    root = write_pack(tmp_path, eu_rules)
    second = root / "us-ca" / "test_ca_act"
    (second / "rules").mkdir(parents=True)
    meta = (root / "eu" / "test_act" / "instrument.yaml").read_text()
    meta = meta.replace("id: eu_ai_act", "id: test_ca_act").replace("jurisdiction: EU", "jurisdiction: US-CA")
    (second / "instrument.yaml").write_text(meta)
    (second / "rules" / "r.yaml").write_text("rules:\n" + ca_rules)
    if vocabulary_edit:
        themes = root / "themes" / "themes.yaml"
        text = themes.read_text()
        assert vocabulary_edit[0] in text
        themes.write_text(text.replace(*vocabulary_edit))
    return load_pack(root)


def comparison_for(pack, places=("FR", "US-CA")):
    profile = make_profile(pack, {"system.is_ai_system": True, "territory.offered_in": list(places)})
    return compare(assess(pack, profile, DAY), pack.vocabularies)


def summary(c) -> list[tuple[str, str, str, str, str]]:
    return [(x.kind, x.category, x.theme, x.a.key, x.b.key) for x in c.conflicts + c.divergences]


OTHER = duty("unrelated", "ai_literacy")  # keeps California in the comparison when its paired rule is removed
PRACTICE = ("{id: content_moderation, title: ", "{id: content_moderation, practice: true, title: ")


def test_contradictory_bounds_are_a_conflict_and_go_with_the_rule(tmp_path):
    keep = duty("keep_logs", "record_keeping", "{quantity: retention_days, min: 180}")
    delete = duty("delete_fast", "record_keeping, data_deletion", "{quantity: retention_days, max: 30}")
    c = comparison_for(two_place_pack(tmp_path / "a", keep, delete))
    assert summary(c) == [
        ("conflict", "impossible_bounds", "record_keeping", "eu_ai_act:keep_logs", "test_ca_act:delete_fast")
    ]
    [conflict] = c.conflicts
    assert "at least 180 in EU but at most 30 in US-CA" in conflict.explanation
    assert (conflict.a.jurisdiction, conflict.a.citation, conflict.b.jurisdiction) == ("EU", "Art. 1", "US-CA")
    without = comparison_for(two_place_pack(tmp_path / "b", keep, OTHER))
    assert without.conflicts == [] and without.divergences == []
    # A maximum above the minimum is not a conflict: deleting between 180 and 365 days meets both.
    relaxed = duty("delete_late", "record_keeping", "{quantity: retention_days, max: 365}")
    c = comparison_for(two_place_pack(tmp_path / "c", keep, relaxed))
    assert summary(c) == [
        ("divergence", "different_retention", "record_keeping", "eu_ai_act:keep_logs", "test_ca_act:delete_late")
    ]
    assert "at least 180 and at most 365 meets both" in c.divergences[0].explanation


def test_bounds_of_unrelated_themes_are_not_compared(tmp_path):
    """Keeping technical documentation ten years does not contradict deleting biometric data within three."""
    keep = duty("keep_docs", "technical_documentation", "{quantity: retention_days, min: 3650}")
    delete = duty("delete_biometrics", "data_deletion", "{quantity: retention_days, max: 1095}")
    c = comparison_for(two_place_pack(tmp_path, keep, delete))
    assert c.conflicts == [] and c.divergences == []


def test_two_recipients_are_a_divergence_and_go_with_the_rule(tmp_path):
    eu = duty("report_eu", "incident_reporting", '{quantity: recipient, value: "AI Office"}')
    ca = duty("report_ca", "incident_reporting", '{quantity: recipient, value: "California OES"}')
    c = comparison_for(two_place_pack(tmp_path / "a", eu, ca))
    assert c.conflicts == []
    assert summary(c) == [
        ("divergence", "different_recipient", "incident_reporting", "eu_ai_act:report_eu", "test_ca_act:report_ca")
    ]
    assert "AI Office (EU) vs California OES (US-CA)" in c.divergences[0].explanation
    without = comparison_for(two_place_pack(tmp_path / "b", eu, OTHER))
    assert without.divergences == []
    also_ai_office = duty("report_ca", "incident_reporting", '{quantity: recipient, value: "AI Office"}')
    same = comparison_for(two_place_pack(tmp_path / "c", eu, also_ai_office))
    assert same.divergences == [], "the same recipient in both places is no divergence"


def test_two_overlapping_deadlines_are_a_divergence(tmp_path):
    eu = duty("report_eu", "incident_reporting", "{quantity: report_deadline_days, max: 15}")
    ca = duty("report_ca", "incident_reporting", "{quantity: report_deadline_days, max: 3}")
    c = comparison_for(two_place_pack(tmp_path / "a", eu, ca))
    assert c.conflicts == []
    assert summary(c) == [
        ("divergence", "different_deadline", "incident_reporting", "eu_ai_act:report_eu", "test_ca_act:report_ca")
    ]
    assert "at most 3 meets both" in c.divergences[0].explanation
    assert comparison_for(two_place_pack(tmp_path / "b", OTHER, ca)).divergences == []


def test_a_ban_against_a_duty_is_a_conflict_only_for_a_practice_theme(tmp_path):
    ban = duty("no_moderation", "prohibited_use_avoidance, content_moderation", kind="prohibition")
    must = duty("moderate", "content_moderation")
    c = comparison_for(two_place_pack(tmp_path / "a", ban, must, PRACTICE))
    assert summary(c) == [
        ("conflict", "prohibited_vs_required", "content_moderation", "eu_ai_act:no_moderation", "test_ca_act:moderate")
    ]
    assert "EU prohibits what US-CA requires" in c.conflicts[0].explanation
    assert comparison_for(two_place_pack(tmp_path / "b", ban, OTHER, PRACTICE)).conflicts == []
    # Without `practice: true` the theme is a safeguard: a ban and a duty sharing it point the same way.
    c = comparison_for(two_place_pack(tmp_path / "c", ban, must))
    assert summary(c) == [
        (
            "divergence",
            "prohibited_vs_regulated",
            "content_moderation",
            "eu_ai_act:no_moderation",
            "test_ca_act:moderate",
        )
    ]


def test_the_shared_prohibited_use_theme_alone_makes_no_pair(tmp_path):
    ban = duty("no_scoring", "prohibited_use_avoidance", kind="prohibition")
    must = duty("avoid", "prohibited_use_avoidance, ai_literacy")
    assert summary(comparison_for(two_place_pack(tmp_path, ban, must, PRACTICE))) == []


def test_exclusive_choices_are_a_conflict_cumulative_ones_a_divergence(tmp_path):
    eu = duty("label_eu", "content_labelling", '{quantity: label_standard, value: "C2PA"}')
    ca = duty("label_ca", "content_labelling", '{quantity: label_standard, value: "GB 45438-2025"}')
    c = comparison_for(two_place_pack(tmp_path / "a", eu, ca))
    assert [x.category for x in c.divergences] == ["different_standard"] and c.conflicts == []
    exclusive = (
        "    differing_values: cumulative\n    divergence: different_standard",
        "    differing_values: exclusive",
    )
    c = comparison_for(two_place_pack(tmp_path / "b", eu, ca, exclusive))
    assert summary(c) == [
        ("conflict", "exclusive_choices", "content_labelling", "eu_ai_act:label_eu", "test_ca_act:label_ca")
    ]
    assert c.divergences == []
    assert comparison_for(two_place_pack(tmp_path / "c", eu, OTHER, exclusive)).conflicts == []


def test_a_feature_required_in_one_place_and_excluded_in_another_is_a_conflict(tmp_path):
    eu = duty("label_eu", "content_labelling", "{quantity: label_visible, value: true}")
    ca = duty("no_label_ca", "content_labelling", "{quantity: label_visible, value: false}")
    [conflict] = comparison_for(two_place_pack(tmp_path, eu, ca)).conflicts
    assert conflict.category == "exclusive_choices"
    assert "required in EU but excluded in US-CA" in conflict.explanation


def test_duties_of_one_jurisdiction_never_pair(tmp_path):
    eu = duty("a", "incident_reporting", "{quantity: report_deadline_days, max: 15}") + duty(
        "b", "incident_reporting", "{quantity: report_deadline_days, min: 30}"
    )
    c = comparison_for(two_place_pack(tmp_path, eu, OTHER))
    assert c.conflicts == [] and c.divergences == []


def test_different_label_standards_need_separate_controls(tmp_path):
    eu = duty(
        "label_eu",
        "content_labelling",
        '{quantity: label_machine_readable, value: true}, {quantity: label_standard, value: "C2PA"}',
    )
    ca = duty(
        "label_ca",
        "content_labelling",
        '{quantity: label_visible, value: true}, {quantity: label_standard, value: "GB 45438-2025"}',
    )
    c = comparison_for(two_place_pack(tmp_path, eu, ca))
    assert [x.category for x in c.conflicts + c.divergences] == ["different_standard"]
    labelling = [x for x in c.controls if x.theme == "content_labelling"]
    assert len(labelling) == 2 and all(x.split_reason == "different label standard required" for x in labelling)


def test_compatible_duties_share_one_control_at_the_strictest_specification(tmp_path):
    eu = duty(
        "report_eu",
        "incident_reporting",
        "{quantity: report_deadline_days, max: 15}, {quantity: label_visible, value: true}",
    )
    ca = duty(
        "report_ca",
        "incident_reporting",
        "{quantity: report_deadline_days, max: 3}, {quantity: label_machine_readable, value: true}",
    )
    c = comparison_for(two_place_pack(tmp_path, eu, ca))
    [control] = c.controls
    assert control.bounds == {"report_deadline_days": (None, 3)}
    assert control.features == ["label_machine_readable", "label_visible"]
    assert control.split_reason is None and len(control.serves) == 2
    assert c.common_core == ["incident_reporting"] and c.index == 0.0


def test_fragmentation_index_weighs_divergent_themes_by_effort(tmp_path):
    eu = duty("risk", "risk_management") + duty("notice_eu", "transparency_notice")
    ca = duty("notice_ca", "transparency_notice")
    c = comparison_for(two_place_pack(tmp_path, eu, ca))
    # units: (EU, risk_management: 4), (EU, notice: 1), (US-CA, notice: 1); core = {notice}
    assert c.common_core == ["transparency_notice"]
    assert c.index == pytest.approx(4 / 6, abs=1e-4)
    assert c.specific == {"EU": ["risk_management"]}


def test_every_obligation_maps_to_a_theme(pack):
    missing = [r.key for r in pack.all_rules() if r.rule.kind == "obligation" and not r.rule.themes]
    assert not missing, f"obligations without a control theme: {missing}"


def golden_view(c) -> dict:
    data = comparison_json(c)
    return {
        "jurisdictions": data["jurisdictions"],
        "common_core": data["common_core"],
        "specific": data["specific"],
        "fragmentation_index": data["fragmentation_index"],
        "controls": sorted(
            [c["theme"], len(c["serves"]), c["jurisdictions"], c["split_reason"]] for c in data["controls"]
        ),
        "conflicts": sorted([c["category"], c["theme"], c["a"]["key"], c["b"]["key"]] for c in data["conflicts"]),
        "divergences": sorted([c["category"], c["theme"], c["a"]["key"], c["b"]["key"]] for c in data["divergences"]),
        "shared_by": {t["theme"]: f"{t['shared_by']} of {t['of']}" for t in data["themes"]},
    }


@pytest.mark.parametrize("name", MULTI)
def test_comparisons_of_the_multi_jurisdiction_examples(pack, name):
    c = compare(assess(pack, load_profile(EXAMPLES / f"{name}.yaml", pack.vocabulary), DAY), pack.vocabularies)
    current = golden_view(c)
    path = GOLDEN / f"compare-{name}.json"
    if os.environ.get("REGATLAS_UPDATE_GOLDEN"):
        path.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    assert current == json.loads(path.read_text())


def test_cv_screener_common_core_is_the_notice(pack):
    """EU Art. 26(11)/50, NYC LL144 § 20-871(b), Illinois HB 3773 notice and Colorado SB 26-189 notice: informing
    the people concerned is the one theme all four places require of a CV screener."""
    c = compare(
        assess(pack, load_profile(EXAMPLES / "cv-screening-us-eu.yaml", pack.vocabulary), DAY), pack.vocabularies
    )
    assert c.jurisdictions == ["EU", "US-CO", "US-IL", "US-NY-NYC"]
    assert "transparency_notice" in c.common_core
    assert 0 < c.index < 1


def test_compare_command_outputs(tmp_path):
    import subprocess
    import sys

    path = EXAMPLES / "cv-screening-us-eu.yaml"
    run = [sys.executable, "-m", "regatlas", "compare", str(path), "--as-of", "2026-11-28"]
    data = json.loads(subprocess.run([*run, "--format", "json"], capture_output=True, text=True, check=True).stdout)
    assert data["format"] == "regatlas.comparison/2" and "transparency_notice" in data["common_core"]
    assert {"theme": "transparency_notice", "shared_by": 4, "of": 4} in data["themes"]
    assert data["conflicts"] == [] and {x["category"] for x in data["divergences"]} == {"different_retention"}
    text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "Minimal control set" in text and "Fragmentation index" in text and "shared by" in text
    assert "No conflicts found" in text and "Divergences: both can be met, at extra work (5)" in text
    md = subprocess.run([*run, "--format", "markdown"], capture_output=True, text=True, check=True).stdout
    assert md.startswith("# Comparison:") and "## Minimal control set" in md
    assert "## Conflicts: no single course of action satisfies both (0)" in md
    assert "## Divergences: both can be met, at extra work (5)" in md and "| transparency notice ★ | 4 of 4 |" in md
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_one_labelling_control_names_each_mechanism_and_where_it_is_needed(pack):
    """Korea asks for a visible label, China (GB 45438) and the EU (Art. 50(2)) also for machine-readable marks,
    California (SB 942) also for a detection tool: one labelling control, several mechanisms."""
    c = compare(
        assess(pack, load_profile(EXAMPLES / "text-to-video-global.yaml", pack.vocabulary), DAY), pack.vocabularies
    )
    [labelling] = [x for x in c.controls if x.theme == "content_labelling"]
    assert labelling.features == ["detection_tool", "label_machine_readable", "label_visible"]
    assert "detection tool (US-CA)" in labelling.note and "label visible (CN, EU, KR, US-CA)" in labelling.note
    assert set(labelling.jurisdictions) == {"CN", "EU", "KR", "US-CA"}


def outcomes(assessment) -> dict[str, str]:
    return {
        f.key: f.outcome
        for f in assessment.findings
        if f.kind in ("obligation", "prohibition", "permission") and not f.moot
    }


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
@pytest.mark.parametrize("day", [dt.date(2026, 7, 1), DAY])
def test_per_profile_pairs_are_the_potential_pairs_that_hold(pack, name, day):
    """The population engine counts `potential_pairs(pack)` whose two findings are yes; compare() must list exactly
    those, in the same order, for every example."""
    a = assess(pack, load_profile(EXAMPLES / f"{name}.yaml", pack.vocabulary), day)
    c = compare(a, pack.vocabularies)
    held = outcomes(a)
    expected = [p for p in potential_pairs(pack) if held.get(p.a_key) == "yes" and held.get(p.b_key) == "yes"]
    assert [x.pair for x in c.conflicts + c.divergences] == expected
    assert all(x.kind == "conflict" for x in c.conflicts) and all(x.kind == "divergence" for x in c.divergences)


def test_potential_pairs_are_canonical_and_cross_jurisdiction(pack):
    pairs = potential_pairs(pack)
    assert pairs == sorted(pairs, key=DutyPair.sort_key)
    assert len({(p.category, p.theme, *sorted((p.a_key, p.b_key))) for p in pairs}) == len(pairs)
    assert all(p.a_jurisdiction != p.b_jurisdiction for p in pairs)
    assert all(p.kind == ("conflict" if p.category in CONFLICT_CATEGORIES else "divergence") for p in pairs)
    # No theme of the shipped vocabulary is a practice: bans and duties sharing a safeguard theme only diverge.
    assert not [p for p in pairs if p.category == "prohibited_vs_required"]
    assert [p for p in pairs if p.category == "prohibited_vs_regulated"]


def test_frontier_developer_recipients_are_divergences_not_conflicts(pack):
    """SB 53 § 22757.13(c)(1) sends critical safety incidents to California OES, AI Act Art. 55(1)(c) sends serious
    incidents to the AI Office: two filings of one report, not an impossibility."""
    c = compare(
        assess(pack, load_profile(EXAMPLES / "frontier-developer.yaml", pack.vocabulary), DAY), pack.vocabularies
    )
    assert c.conflicts == []
    [x] = [
        x
        for x in c.divergences
        if (x.a.key, x.b.key)
        == ("eu_ai_act:art55_1_c_serious_incident_reporting", "us_ca_sb53:critical_safety_incident_report")
    ]
    assert (x.kind, x.category, x.theme) == ("divergence", "different_recipient", "incident_reporting")
    assert "AI Office (EU) vs California OES (US-CA)" in x.explanation
    assert (x.a.instrument_title, x.a.citation, x.a.jurisdiction) == ("EU AI Act", "Art. 55(1)(c)", "EU")
    assert (x.b.instrument_title, x.b.jurisdiction) == ("California SB 53 (TFAIA)", "US-CA")
    deadlines = [y for y in c.divergences if y.category == "different_deadline"]
    assert {(y.a.jurisdiction, y.b.jurisdiction) for y in deadlines} == {("US-CA", "US-NY")}
