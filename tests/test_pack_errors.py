"""A broken rule pack is rejected with file:line and a clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_RULE, URL, write_pack

from regatlas.errors import PackError, RegatlasError
from regatlas.rules.loader import load_pack


def problems_of(root: Path) -> str:
    with pytest.raises(PackError) as info:
        load_pack(root)
    return str(info.value)


def test_a_good_mini_pack_loads(tmp_path):
    pack = load_pack(write_pack(tmp_path, GOOD_RULE))
    assert [r.id for r in pack.all_rules()] == ["good_rule"]


def test_unknown_fact_names_file_line_and_suggestion(tmp_path):
    text = problems_of(write_pack(tmp_path, GOOD_RULE.replace("when: system.is_ai_system", "when: system.is_ai_sytem")))
    assert "r.yaml:12" in text
    assert "unknown fact 'system.is_ai_sytem'" in text
    assert "did you mean 'system.is_ai_system'" in text
    assert "versions[0].when" in text


def test_type_mismatch(tmp_path):
    text = problems_of(
        write_pack(tmp_path, GOOD_RULE.replace("when: system.is_ai_system", 'when: operator.size == "tiny"'))
    )
    assert "'tiny' is not an allowed value" in text and "micro" in text


def test_missing_citation(tmp_path):
    rule = GOOD_RULE.replace(f'    citation: {{article: "9", url: "{URL}"}}\n', "")
    text = problems_of(write_pack(tmp_path, rule))
    assert "rules[0].citation: required field is missing" in text


def test_citation_needs_url(tmp_path):
    text = problems_of(write_pack(tmp_path, GOOD_RULE.replace(f'url: "{URL}"', 'url: "eur-lex"')))
    assert "citation.url" in text


def test_rule_without_test(tmp_path):
    rule = GOOD_RULE.split("    tests:")[0]
    text = problems_of(write_pack(tmp_path, rule))
    assert "rule 'good_rule' has no test case" in text and "r.yaml:2" in text


def test_overlapping_versions(tmp_path):
    rule = GOOD_RULE.replace(
        "        when: system.is_ai_system\n",
        "        when: system.is_ai_system\n"
        "      - valid_from: 2026-07-27\n        act: Regulation (EU) 2026/1744\n"
        "        applies_from: 2026-08-02\n        when: system.is_ai_system\n",
    )
    text = problems_of(write_pack(tmp_path, rule))
    assert "versions overlap" in text and "versions[1]" in text


def test_cycle_between_rules(tmp_path):
    a = GOOD_RULE.replace("when: system.is_ai_system", "when: rule_b")
    b = GOOD_RULE.replace("good_rule", "rule_b").replace("when: system.is_ai_system", "when: good_rule")
    text = problems_of(write_pack(tmp_path, a + b))
    assert "cycle" in text and "good_rule -> rule_b -> good_rule" in text


def test_duplicate_rule_id(tmp_path):
    text = problems_of(write_pack(tmp_path, GOOD_RULE + GOOD_RULE))
    assert "duplicate rule id 'good_rule'" in text


def test_unknown_kind_lists_allowed(tmp_path):
    text = problems_of(write_pack(tmp_path, GOOD_RULE.replace("kind: obligation", "kind: duty")))
    assert "rules[0].kind" in text and "obligation" in text and "prohibition" in text


def test_exception_needs_higher_priority(tmp_path):
    exc = GOOD_RULE.replace("good_rule", "an_exemption").replace(
        "kind: obligation", "kind: exemption\n    overrides: [good_rule]"
    )
    text = problems_of(write_pack(tmp_path, GOOD_RULE + exc))
    assert "needs a higher priority" in text


def test_exception_to_unknown_rule(tmp_path):
    exc = GOOD_RULE.replace("good_rule", "an_exemption").replace(
        "kind: obligation", "kind: exemption\n    priority: 10\n    overrides: [good_rul]"
    )
    text = problems_of(write_pack(tmp_path, GOOD_RULE + exc))
    assert "overrides names unknown rule 'good_rul'" in text and "did you mean 'good_rule'" in text


def test_bad_test_case_facts(tmp_path):
    text = problems_of(
        write_pack(tmp_path, GOOD_RULE.replace("{system.is_ai_system: true}", "{system.is_ai_system: maybe}"))
    )
    assert "tests[0].facts" in text and "expected true or false" in text


def test_malformed_yaml(tmp_path):
    root = write_pack(tmp_path, GOOD_RULE)
    (root / "eu" / "test_act" / "rules" / "r.yaml").write_text("rules:\n  - id: [unclosed\n")
    with pytest.raises(RegatlasError) as info:
        load_pack(root)
    assert "r.yaml:" in str(info.value) and "malformed YAML" in str(info.value)


def test_syntax_error_points_at_position(tmp_path):
    text = problems_of(
        write_pack(tmp_path, GOOD_RULE.replace("when: system.is_ai_system", "when: system.is_ai_system &&"))
    )
    assert "syntax error" in text and "⟨here⟩" in text


def test_all_problems_are_reported_together(tmp_path):
    bad = GOOD_RULE.replace("when: system.is_ai_system", "when: system.nope").replace(
        "kind: obligation", "kind: obligation"
    )
    bad2 = GOOD_RULE.replace("good_rule", "other").replace("when: system.is_ai_system", "when: system.nope2")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, bad + bad2))
    assert len(info.value.problems) == 2


def _exemption(rule_id: str, overrides: str, when: str = "system.is_ai_system") -> str:
    return f"""
  - id: {rule_id}
    kind: exemption
    title: An exception
    citation: {{article: "6", url: "{URL}"}}
    status: verified
    priority: 5
    overrides: [{overrides}]
    versions:
      - valid_from: 2024-08-01
        act: Regulation (EU) 2024/1689
        applies_from: 2026-08-02
        when: {when}
    tests:
      - name: holds
        facts: {{system.is_ai_system: true}}
        expect: "yes"
"""


def test_one_bad_rule_is_reported_once_and_spares_its_neighbours(tmp_path):
    """A rule that fails validation used to take its whole file with it: every neighbour that named it (or was
    named by it) got a second, spurious "names unknown rule" error."""
    broken = GOOD_RULE.replace("kind: obligation", "kind: duty")
    neighbour = _exemption("carve_out", "good_rule", when="system.is_ai_system && !good_rule")
    text = problems_of(write_pack(tmp_path, broken + neighbour))
    problems = text.splitlines()
    assert len(problems) == 1, text
    assert "r.yaml:3: rules[0].kind" in problems[0] and "obligation" in problems[0]


def test_a_good_rule_beside_a_bad_one_is_still_checked(tmp_path):
    broken = GOOD_RULE.replace("kind: obligation", "kind: duty")
    neighbour = _exemption("carve_out", "no_such_rule")
    text = problems_of(write_pack(tmp_path, broken + neighbour))
    assert "rules[0].kind" in text
    assert "overrides names unknown rule 'no_such_rule'" in text  # a real mistake of the neighbour: reported


def test_a_failing_rule_test_case_names_its_file_and_line(tmp_path):
    from regatlas.engine.selftest import run_all

    root = write_pack(tmp_path, GOOD_RULE.replace('expect: "yes"', 'expect: "no"'))
    [result] = run_all(load_pack(root))
    assert not result.passed
    assert result.where == f"{root / 'eu' / 'test_act' / 'rules' / 'r.yaml'}:14"  # the "- name: holds" line


def test_rule_fields_for_one_kind_are_refused_on_another(tmp_path):
    rule = GOOD_RULE.replace(
        "    status: verified\n", "    status: verified\n    subject: model\n    partial_exclusion: true\n"
    )
    text = problems_of(write_pack(tmp_path, rule))
    assert "rules[0].subject: for scope rules only" in text


def test_a_version_source_url_must_be_a_web_address(tmp_path):
    rule = GOOD_RULE.replace(
        "        act: Regulation (EU) 2024/1689\n",
        "        act: Regulation (EU) 2024/1689\n        source_url: eur-lex\n",
    )
    text = problems_of(write_pack(tmp_path, rule))
    assert "rules[0].versions[0].source_url: must be a web address" in text
