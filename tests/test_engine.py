"""Engine semantics on small purpose-built packs: exceptions, dates, penalties, unknowns."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import URL, make_profile, write_pack

from regatlas.engine import kleene
from regatlas.engine.assess import assess
from regatlas.rules.loader import load_pack


def rule(
    rid: str,
    when: str,
    kind: str = "obligation",
    extra: str = "",
    applies: str = "2026-08-02",
    versions: str | None = None,
) -> str:
    versions = (
        versions
        or f"""
      - valid_from: 2024-08-01
        act: Regulation (EU) 2024/1689
        applies_from: '{applies}'
        when: '{when}'"""
    )
    return f"""
  - id: {rid}
    kind: {kind}
    title: {rid}
    addressee: [provider]
    citation: {{article: "1", url: "{URL}"}}
    status: verified
{extra}
    versions:{versions}
    tests:
      - name: any
        facts: {{}}
        expect: unknown
"""


@pytest.mark.parametrize(
    ("values", "conj", "disj"),
    [
        ((True, True), True, True),
        ((True, None), None, True),
        ((False, None), False, None),
        ((None, None), None, None),
        ((False, False), False, False),
    ],
)
def test_kleene_tables(values, conj, disj):
    assert kleene.and_(values) is conj
    assert kleene.or_(values) is disj


def test_if_with_unknown_condition_is_known_when_branches_agree():
    assert kleene.if_(None, 1, 1) == 1
    assert kleene.if_(None, 1, 2) is None


@pytest.fixture()
def chain_pack(tmp_path):
    """base (high-risk-like) <- derogation (exemption) <- override (exception to the exception)."""
    rules = (
        rule("base", "system.is_ai_system", "classification")
        + rule(
            "derogation",
            '"narrow_procedural_task" in system.art6_3_conditions',
            "exemption",
            "    overrides: [base]\n    priority: 10",
        )
        + rule("override", "system.performs_profiling", "exemption", "    overrides: [derogation]\n    priority: 20")
    )
    return load_pack(write_pack(tmp_path, rules))


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"system.is_ai_system": True, "system.art6_3_conditions": []}, "yes"),
        (
            {
                "system.is_ai_system": True,
                "system.art6_3_conditions": ["narrow_procedural_task"],
                "system.performs_profiling": False,
            },
            "no",
        ),
        (
            {
                "system.is_ai_system": True,
                "system.art6_3_conditions": ["narrow_procedural_task"],
                "system.performs_profiling": True,
            },
            "yes",
        ),
        ({"system.is_ai_system": True, "system.art6_3_conditions": ["narrow_procedural_task"]}, "unknown"),
        ({"system.is_ai_system": False}, "no"),
    ],
)
def test_exception_to_an_exception(chain_pack, facts, expected):
    a = assess(chain_pack, make_profile(chain_pack, facts), dt.date(2026, 11, 28))
    assert a.finding("base").outcome == expected
    if expected == "unknown":
        assert a.finding("base").missing == ["system.performs_profiling"]


def test_trace_records_which_exception_overrode(chain_pack):
    facts = {
        "system.is_ai_system": True,
        "system.art6_3_conditions": ["narrow_procedural_task"],
        "system.performs_profiling": False,
    }
    finding = assess(chain_pack, make_profile(chain_pack, facts), dt.date(2026, 11, 28)).finding("base")
    assert finding.exceptions == [("derogation", True)]
    assert finding.trace.value is True  # the condition held; the exception defeated it


@pytest.fixture()
def dated_pack(tmp_path):
    versions = """
      - valid_from: 2024-08-01
        valid_to: 2026-07-26
        act: Regulation (EU) 2024/1689
        applies_from: 2026-08-02
        when: system.is_ai_system
      - valid_from: 2026-07-27
        act: Regulation (EU) 2026/1744
        applies_from: 2027-12-02
        when: system.is_ai_system"""
    inserted = """
      - valid_from: 2026-07-27
        act: Regulation (EU) 2026/1744
        applies_from: 2026-12-02
        when: system.is_ai_system"""
    legacy = """
      - valid_from: 2024-08-01
        act: Regulation (EU) 2024/1689
        applies_from: 'system.placed_on_market_date < date("2026-08-02") ? date("2026-12-02") : date("2026-08-02")'
        when: system.is_ai_system"""
    rules = (
        rule("amended", "", versions=versions, extra="    penalty: art99_4")
        + rule("inserted", "", "prohibition", versions=inserted, extra="    penalty: art99_3")
        + rule("legacy", "", versions=legacy)
    )
    return load_pack(write_pack(tmp_path, rules))


def test_as_of_selects_the_wording_in_force(dated_pack):
    facts = {"system.is_ai_system": True}
    before = assess(dated_pack, make_profile(dated_pack, facts), dt.date(2026, 7, 1))
    after = assess(dated_pack, make_profile(dated_pack, facts), dt.date(2026, 11, 28))
    assert before.finding("amended").applies_from == dt.date(2026, 8, 2)
    assert before.finding("amended").act == "Regulation (EU) 2024/1689"
    assert after.finding("amended").applies_from == dt.date(2027, 12, 2)
    assert after.finding("amended").in_effect is False
    with pytest.raises(KeyError):
        before.finding("inserted")
    assert [(n.rule_id, n.next_from) for n in before.not_in_force] == [("inserted", dt.date(2026, 7, 27))]
    assert after.finding("inserted").outcome == "yes" and after.finding("inserted").in_effect is False
    assert after.prohibited()[0].rule_id == "inserted"


def test_before_entry_into_force_nothing_applies(dated_pack):
    a = assess(dated_pack, make_profile(dated_pack, {"system.is_ai_system": True}), dt.date(2024, 1, 1))
    assert a.findings == [] and len(a.not_in_force) == 3


def test_unknown_application_date_names_its_fact(dated_pack):
    a = assess(dated_pack, make_profile(dated_pack, {"system.is_ai_system": True}), dt.date(2026, 11, 28))
    legacy = a.finding("legacy")
    assert legacy.outcome == "yes" and legacy.applies_from is None
    assert legacy.missing == ["system.placed_on_market_date"]
    known = make_profile(dated_pack, {"system.is_ai_system": True, "system.placed_on_market_date": "2025-01-01"})
    assert assess(dated_pack, known, dt.date(2026, 11, 28)).finding("legacy").applies_from == dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("size", "as_of", "which", "cap"),
    [
        ("large", "2026-11-28", "higher", 30_000_000),  # 3 % of 1bn = 30m > 15m
        ("medium", "2026-11-28", "lower", 1_200_000),  # SME: 3 % of 40m = 1.2m < 15m
        ("small_mid_cap", "2026-07-01", "higher", 15_000_000),  # before 2026/1744: no SMC relief
        ("small_mid_cap", "2026-11-28", "lower", 1_200_000),  # Art. 99(6a) inserted by 2026/1744
    ],
)
def test_penalty_caps_follow_size_and_date(dated_pack, size, as_of, which, cap):
    turnover = 1e9 if size == "large" else 4e7
    facts = {"system.is_ai_system": True, "operator.size": size, "operator.annual_turnover_eur": turnover}
    penalty = (
        assess(dated_pack, make_profile(dated_pack, facts), dt.date.fromisoformat(as_of)).finding("amended").penalty
    )
    assert (penalty.which, penalty.cap_eur) == (which, pytest.approx(cap))


def test_penalty_with_unknown_size_is_unknown(dated_pack):
    facts = {"system.is_ai_system": True, "operator.annual_turnover_eur": 4e7}
    penalty = assess(dated_pack, make_profile(dated_pack, facts), dt.date(2026, 11, 28)).finding("amended").penalty
    assert penalty.which == "unknown" and penalty.cap_eur is None and penalty.missing == ["operator.size"]


def test_operator_role_is_matched_against_the_addressee(dated_pack):
    provider = make_profile(dated_pack, {"system.is_ai_system": True, "operator.roles": ["provider"]})
    deployer = make_profile(dated_pack, {"system.is_ai_system": True, "operator.roles": ["deployer"]})
    assert assess(dated_pack, provider, dt.date(2026, 11, 28)).finding("amended").holder is True
    assert assess(dated_pack, deployer, dt.date(2026, 11, 28)).finding("amended").holder is False


def test_decision_id_is_reproducible_and_sensitive(dated_pack):
    p1 = make_profile(dated_pack, {"system.is_ai_system": True})
    p2 = make_profile(dated_pack, {"system.is_ai_system": False})
    day = dt.date(2026, 11, 28)
    assert assess(dated_pack, p1, day).decision_id == assess(dated_pack, p1, day).decision_id
    assert assess(dated_pack, p1, day).decision_id != assess(dated_pack, p2, day).decision_id
    assert assess(dated_pack, p1, day).decision_id != assess(dated_pack, p1, dt.date(2026, 11, 29)).decision_id


def test_exceptions_are_moot_when_their_rule_fails_anyway(chain_pack):
    """An undecided exception to a rule that fails on its own condition asks no question."""
    a = assess(chain_pack, make_profile(chain_pack, {"system.is_ai_system": False}), dt.date(2026, 11, 28))
    assert a.finding("derogation").moot and a.finding("override").moot
    assert a.finding("derogation").outcome == "unknown"
    assert a.questions == []
    live = assess(chain_pack, make_profile(chain_pack, {"system.is_ai_system": True}), dt.date(2026, 11, 28))
    assert not live.finding("derogation").moot
    assert {q.fact_id for q in live.questions} == {"system.art6_3_conditions", "system.performs_profiling"}


def test_no_fine_cap_from_our_turnover_for_another_partys_duty(dated_pack):
    """A provider duty seen by a deployer: the fine falls on the provider, whose size and turnover we do not know."""
    facts = {
        "system.is_ai_system": True,
        "operator.roles": ["deployer"],
        "operator.size": "large",
        "operator.annual_turnover_eur": 1e9,
    }
    penalty = assess(dated_pack, make_profile(dated_pack, facts), dt.date(2026, 11, 28)).finding("amended").penalty
    assert (penalty.which, penalty.cap_eur, penalty.missing) == ("unknown", None, [])
