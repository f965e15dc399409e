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


def two_place_pack(tmp_path, eu_rules: str, ca_rules: str):
    """One instrument for the EU and one for California, each with the given rules."""
    root = write_pack(tmp_path, eu_rules)
    second = root / "us-ca" / "test_ca_act"
    (second / "rules").mkdir(parents=True)
    meta = (root / "eu" / "test_act" / "instrument.yaml").read_text()
    meta = meta.replace("id: eu_ai_act", "id: test_ca_act").replace("jurisdiction: EU", "jurisdiction: US-CA")
    (second / "instrument.yaml").write_text(meta)
    (second / "rules" / "r.yaml").write_text("rules:\n" + ca_rules)
    return load_pack(root)


def comparison_for(pack, places=("FR", "US-CA")):
    profile = make_profile(pack, {"system.is_ai_system": True, "territory.offered_in": list(places)})
    return compare(assess(pack, profile, DAY), pack.vocabularies)


def test_an_impossible_pair_of_bounds_appears_and_goes_with_the_rule(tmp_path):
    keep = duty("keep_logs", "record_keeping", "{quantity: retention_days, min: 180}")
    delete = duty("delete_fast", "data_deletion", "{quantity: retention_days, max: 30}")
    with_conflict = comparison_for(two_place_pack(tmp_path / "a", keep, delete))
    [conflict] = [c for c in with_conflict.conflicts if c.kind == "impossible_together"]
    assert {conflict.a.key, conflict.b.key} == {"eu_ai_act:keep_logs", "test_ca_act:delete_fast"}
    assert "at least 180 in EU but at most 30 in US-CA" in conflict.explanation
    without = comparison_for(two_place_pack(tmp_path / "b", keep, duty("delete_fast", "data_deletion")))
    assert without.conflicts == []


def test_different_label_standards_cannot_share_one_control(tmp_path):
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
    assert [x.kind for x in c.conflicts] == ["incompatible_specifications"]
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


def test_a_ban_in_one_place_against_a_duty_in_another(tmp_path):
    ban = duty("no_emotion", "prohibited_use_avoidance, human_oversight", kind="prohibition")
    must = duty("monitor_staff", "human_oversight")
    c = comparison_for(two_place_pack(tmp_path, ban, must))
    [conflict] = c.conflicts
    assert conflict.kind == "prohibited_vs_required" and conflict.theme == "human_oversight"
    assert "EU prohibits what US-CA requires" in conflict.explanation


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
        "conflicts": sorted([c["kind"], c["theme"], c["a"]["id"], c["b"]["id"]] for c in data["conflicts"]),
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
    assert data["format"] == "regatlas.comparison/1" and "transparency_notice" in data["common_core"]
    text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "Minimal control set" in text and "Fragmentation index" in text
    md = subprocess.run([*run, "--format", "markdown"], capture_output=True, text=True, check=True).stdout
    assert md.startswith("# Comparison:") and "## Minimal control set" in md
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
