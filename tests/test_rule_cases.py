"""Every test case written in the rule pack, one pytest case each."""

from __future__ import annotations

import pytest

from regatlas.engine.selftest import run_case
from regatlas.rules.loader import load_pack

_PACK = load_pack()
_CASES = [(rule, i) for rule in _PACK.all_rules() for i in range(len(rule.rule.tests))]


@pytest.mark.parametrize(
    ("rule", "index"), _CASES, ids=[f"{r.key}[{i}]:{r.rule.tests[i].name[:50]}" for r, i in _CASES]
)
def test_rule_case(rule, index):
    result = run_case(_PACK, rule, index)
    assert result.passed, f"{rule.file}: {rule.id}: {result.case_name}: {result.detail}"


def test_every_rule_has_a_case():
    assert all(rule.rule.tests for rule in _PACK.all_rules())
