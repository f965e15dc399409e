"""Run the test cases written inside the rule pack (each rule carries its own cases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts.profile import profile_from_data
from ..rules.pack import LoadedRule, Pack
from .assess import assess

# Cases without an explicit as_of are evaluated on this fixed date, so they never drift with the clock.
DEFAULT_CASE_DATE = dt.date(2026, 11, 28)


@dataclass
class CaseResult:
    rule_key: str
    case_name: str
    passed: bool
    detail: str
    where: str = ""  # file:line of the test case, so a failure can be found and fixed


def _where(rule: LoadedRule, index: int) -> str:
    line = rule.test_lines[index] if index < len(rule.test_lines) else rule.line
    return f"{rule.file}:{line}" if line is not None else rule.file


def run_case(pack: Pack, rule: LoadedRule, index: int) -> CaseResult:
    case = rule.rule.tests[index]
    profile = profile_from_data(case.facts, pack.vocabulary, f"{rule.file}#{rule.id}.tests[{index}]")
    as_of = case.as_of or DEFAULT_CASE_DATE
    # A rule's own cases test its outcome even where the profile's places would not touch its instrument.
    assessment = assess(pack, profile, as_of, [rule.instrument_id], only_touched=False)
    try:
        finding = assessment.finding(rule.key)
    except KeyError:
        return CaseResult(rule.key, case.name, False, f"rule has no version in force on {as_of}", _where(rule, index))
    problems = []
    if finding.outcome != case.expect:
        problems.append(f"expected {case.expect}, got {finding.outcome}")
    if case.missing and not set(case.missing) <= set(finding.missing):
        problems.append(f"expected missing facts {sorted(case.missing)}, got {finding.missing}")
    if case.applies_from and finding.applies_from != case.applies_from:
        problems.append(f"expected applies_from {case.applies_from}, got {finding.applies_from}")
    return CaseResult(rule.key, case.name, not problems, "; ".join(problems) or "ok", _where(rule, index))


def run_all(pack: Pack) -> list[CaseResult]:
    return [run_case(pack, rule, i) for rule in pack.all_rules() for i in range(len(rule.rule.tests))]
