"""The condition language: parsing, resolution and type errors."""

from __future__ import annotations

import datetime as dt

import pytest

from regatlas.expr.check import CheckError, Scope, resolve
from regatlas.expr.ir import And, Cmp, If, In, Lit, Not, Or, Param, RuleRef, Var
from regatlas.expr.parser import ExprSyntaxError, parse


@pytest.fixture(scope="module")
def scope(pack):
    return Scope(pack.vocabulary, {"systemic_risk_flop_threshold": "number"}, {"in_scope", "ai_system"})


def test_precedence_follows_cel():
    node = parse("a.x || b.y && !c.z")
    assert isinstance(node, Or)
    assert isinstance(node.items[1], And)
    assert isinstance(node.items[1].items[1], Not)


def test_ternary_and_comparison():
    node = parse('x.a < date("2025-08-02") ? date("2027-08-02") : date("2025-08-02")')
    assert isinstance(node, If)
    assert isinstance(node.cond, Cmp) and node.cond.op == "<"


def test_exponent_numbers():
    node = parse("model.training_compute_flop > 1e25")
    assert node.right == Lit(1e25, "1e25")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a.b &&", "expected a value"),
        ("(a.b", "expected ')'"),
        ("a.b c.d", "unexpected 'c.d'"),
        ("a.b # c", "unexpected character"),
        ("[a.b]", "only literals"),
    ],
)
def test_syntax_errors_name_the_problem(text, fragment):
    with pytest.raises(ExprSyntaxError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_names_resolve_to_facts_params_rules(scope):
    node, kind = resolve(parse("in_scope && model.training_compute_flop > param.systemic_risk_flop_threshold"), scope)
    assert kind.kind == "bool"
    assert isinstance(node.items[0], RuleRef)
    assert isinstance(node.items[1].left, Var) and isinstance(node.items[1].right, Param)


def test_date_call_folds_to_literal(scope):
    node, kind = resolve(parse('date("2026-12-02")'), scope)
    assert node.value == dt.date(2026, 12, 2) and kind.kind == "date"


def test_in_against_a_set_fact(scope):
    node, _ = resolve(parse('"4a" in system.annex_iii_points'), scope)
    assert isinstance(node, In)


@pytest.mark.parametrize(
    ("text", "fragment", "suggestion"),
    [
        ("system.is_ai_sytem", "unknown fact", "system.is_ai_system"),
        ("in_scop", "unknown rule", "in_scope"),
        ('"4z" in system.annex_iii_points', "'4z' is not an allowed value", None),
        ('operator.size == "huge"', "'huge' is not an allowed value", None),
        ("system.is_ai_system > 3", "compares two numbers or two dates", None),
        ("model.training_compute_flop", "expected a true/false", None),
        ("!model.training_compute_flop", "expected a true/false", None),
        ("param.nope > 1", "unknown parameter", None),
        ("frobnicate(system.is_ai_system)", "unknown function", None),
        ('date("2025-02-30")', "bad date", None),
    ],
)
def test_type_errors(scope, text, fragment, suggestion):
    with pytest.raises(CheckError) as info:
        _node, kind = resolve(parse(text), scope)
        if kind.kind != "bool":
            raise CheckError(f"expected a true/false condition, got {kind}", text)
    assert fragment in str(info.value)
    if suggestion:
        assert info.value.suggestion == suggestion
