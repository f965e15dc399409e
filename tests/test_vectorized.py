"""The vectorized engine (IR -> Polars) equals the scalar engine, finding by finding, row by row.

The scalar `assess_fast` is the reference. Profiles are random and include unknown facts; dates straddle the
27 July 2026 amendment (Regulation (EU) 2026/1744) and the state laws' start dates.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regatlas.compile.fold import constants
from regatlas.compile.outcomes import outcome_table
from regatlas.compile.plan import build_plan
from regatlas.compile.polars_backend import Coverage, PolarsCompiler, applies_column, evaluate_polars
from regatlas.engine import kleene
from regatlas.engine.assess import assess_fast
from regatlas.expr.ir import And, Cmp, If, In, ListLit, Lit, Node, Not, Or, Var
from regatlas.simulate.frames import profiles_frame, random_facts

DATES = (dt.date(2025, 6, 1), dt.date(2026, 7, 26), dt.date(2026, 7, 28), dt.date(2026, 12, 2), dt.date(2027, 9, 1))


def _mismatches(pack, facts: list[dict], day: dt.date) -> list[str]:
    """Every (row, finding) where the engines disagree on the outcome, the applies-from date or being assessed."""
    plan = build_plan(pack, day)
    results = evaluate_polars(plan, profiles_frame(facts, pack.vocabulary), pack.vocabulary)
    words = outcome_table(plan, results).collect().to_dicts()
    dates = results.to_dicts()
    constant = {r.key: r.applies_from.value for r in plan.rules if isinstance(r.applies_from, Lit)}
    problems = []
    for i, profile in enumerate(facts):
        reference = assess_fast(pack, profile, day)
        for key, word in words[i].items():
            if key == "id":
                continue
            if word is None:
                if key in reference:
                    problems.append(f"row {i} {key}: scalar assessed it, vectorized says untouched")
                continue
            expected, expected_from = reference.get(key, (None, None))
            got_from = constant[key] if key in constant else dates[i][applies_column(key)]
            got_from = got_from if isinstance(got_from, dt.date) else None
            if (expected, expected_from) != (word, got_from):
                problems.append(
                    f"row {i} {key} on {day}: scalar {expected} {expected_from}, vectorized {word} {got_from}"
                )
        problems += [f"row {i} {key}: no column" for key in reference if key not in words[i]]
    return problems


@pytest.mark.parametrize("day", DATES, ids=str)
def test_polars_equals_scalar_on_random_profiles(pack, day):
    rng = random.Random(f"vectorized-{day}")
    facts = [random_facts(pack.vocabulary, rng) for _ in range(2500)]
    problems = _mismatches(pack, facts, day)
    assert not problems, "\n".join(problems[:20])


def test_random_profiles_exercise_every_outcome(pack):
    """The differential test is only as good as its inputs: most findings must be seen yes, no and unknown."""
    rng = random.Random("coverage")
    facts = [random_facts(pack.vocabulary, rng) for _ in range(2500)]
    plan = build_plan(pack, dt.date(2026, 12, 2))
    words = outcome_table(plan, evaluate_polars(plan, profiles_frame(facts, pack.vocabulary), pack.vocabulary))
    table = words.collect()
    seen_yes = sum(1 for key in table.columns[1:] if (table[key] == "yes").any())
    seen_unknown = sum(1 for key in table.columns[1:] if (table[key] == "unknown").any())
    assert seen_yes >= 0.7 * len(plan.rules)  # 73% when written
    assert seen_unknown >= 0.7 * len(plan.rules)
    assert table.select(pl.col(table.columns[1:]).is_null().all()).row(0).count(True) == 0


def _fact_values(vocabulary):
    facts = list(vocabulary.facts.values())

    def one(fact):
        return st.one_of(st.none(), st.builds(lambda seed: random_facts_value(fact, seed), st.integers(0, 2**32)))

    return st.fixed_dictionaries({f.id: one(f) for f in facts})


def random_facts_value(fact, seed: int):
    from regatlas.simulate.frames import _random_value

    return _random_value(fact, random.Random(seed))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_polars_equals_scalar_on_hypothesis_profiles(pack, data):
    rows = data.draw(st.lists(_fact_values(pack.vocabulary), min_size=1, max_size=40))
    facts = []
    for row in rows:
        given_facts = {k: v for k, v in row.items() if v is not None}
        for fact in pack.vocabulary.facts.values():
            if fact.derive_from and fact.derive_from in given_facts:
                given_facts.pop(fact.id, None)  # derived facts follow from their list
        facts.append(given_facts)
    day = data.draw(st.sampled_from(DATES))
    problems = _mismatches(pack, facts, day)
    assert not problems, "\n".join(problems[:20])


# Random rule trees over a few facts, with random three-valued inputs.

_FACTS = {"a": "bool", "b": "bool", "c": "bool", "n": "number", "e": "enum", "d": "date"}


def _leaf() -> st.SearchStrategy[Node]:
    return st.one_of(
        st.sampled_from([Var("a", "a"), Var("b", "b"), Var("c", "c")]),
        st.sampled_from([Lit(True, "true"), Lit(False, "false"), Lit(None, "unknown")]),
        st.builds(lambda op, v: Cmp(op, Var("n", "n"), Lit(v, str(v)), "n"), st.sampled_from(list(kleene.CMP_OPS)),
                  st.integers(0, 4)),
        st.builds(lambda v: Cmp("==", Var("e", "e"), Lit(v, v), "e"), st.sampled_from(["x", "y", "z"])),
        st.builds(lambda vs: In(Var("e", "e"), ListLit(tuple(Lit(v, v) for v in vs), "[]"), "in"),
                  st.lists(st.sampled_from(["x", "y", "z"]), max_size=3)),
        st.builds(lambda op: Cmp(op, Var("d", "d"), Lit(dt.date(2026, 8, 2), "d"), "d"),
                  st.sampled_from(["<", ">="])),
    )  # fmt: skip


def _tree() -> st.SearchStrategy[Node]:
    return st.recursive(
        _leaf(),
        lambda kids: st.one_of(
            st.builds(lambda xs: And(tuple(xs), "and"), st.lists(kids, min_size=1, max_size=4)),
            st.builds(lambda xs: Or(tuple(xs), "or"), st.lists(kids, min_size=1, max_size=4)),
            st.builds(lambda x: Not(x, "not"), kids),
            st.builds(lambda c, t, o: If(c, t, o, "if"), kids, kids, kids),
        ),
        max_leaves=12,
    )


def _scalar(node: Node, row: dict):
    if isinstance(node, Var):
        return row[node.name]
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, ListLit):
        return frozenset(i.value for i in node.items)
    if isinstance(node, And):
        return kleene.and_(_scalar(i, row) for i in node.items)
    if isinstance(node, Or):
        return kleene.or_(_scalar(i, row) for i in node.items)
    if isinstance(node, Not):
        return kleene.not_(_scalar(node.item, row))
    if isinstance(node, Cmp):
        return kleene.cmp(node.op, _scalar(node.left, row), _scalar(node.right, row))
    if isinstance(node, In):
        return kleene.contains(_scalar(node.collection, row), _scalar(node.item, row))
    assert isinstance(node, If)
    return kleene.if_(_scalar(node.cond, row), _scalar(node.then, row), _scalar(node.other, row))


_ROW = st.fixed_dictionaries(
    {
        "a": st.sampled_from([True, False, None]),
        "b": st.sampled_from([True, False, None]),
        "c": st.sampled_from([True, False, None]),
        "n": st.one_of(st.none(), st.integers(0, 4).map(float)),
        "e": st.sampled_from(["x", "y", "z", None]),
        "d": st.one_of(st.none(), st.sampled_from([dt.date(2026, 8, 1), dt.date(2026, 8, 2), dt.date(2027, 1, 1)])),
    }
)


@settings(max_examples=300, deadline=None)
@given(tree=_tree(), rows=st.lists(_ROW, min_size=1, max_size=12))
def test_random_rule_trees_are_kleene_in_polars(tree, rows):
    schema = {"a": pl.Boolean, "b": pl.Boolean, "c": pl.Boolean, "n": pl.Float64, "e": pl.Enum(["x", "y", "z"]),
              "d": pl.Date}  # fmt: skip
    frame = pl.DataFrame(rows, schema=schema)
    compiler = PolarsCompiler(None, Coverage({}, {}), schema)  # type: ignore[arg-type]
    for node in (tree, constants(tree)):  # folding must not change a value either
        got = frame.with_columns(compiler.expr(node).alias("v")).get_column("v").to_list()
        assert got == [_scalar(tree, row) for row in rows]
