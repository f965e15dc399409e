"""The SQL backend (DuckDB) against the scalar engine, row by row; golden SQL for the three-valued traps."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regatlas.compile.columns import fact_dtype
from regatlas.compile.duckdb_backend import evaluate_duckdb
from regatlas.compile.plan import build_plan
from regatlas.compile.sql_backend import (
    compile_sql,
    dynamic_from,
    expr_sql,
    fact_kinds,
    from_column,
    output_columns,
    touch_column,
)
from regatlas.engine.assess import assess_fast
from regatlas.engine.closures import CompiledLaw
from regatlas.expr.ir import And, Call, Cmp, If, In, ListLit, Lit, Not, Or, Var, walk
from regatlas.facts.derive import derive_facts
from regatlas.rules.touch import touches

DATES = [dt.date(2025, 6, 1), dt.date(2026, 7, 26), dt.date(2026, 7, 28), dt.date(2026, 12, 2), dt.date(2027, 9, 1)]
# Every place an instrument of the pack is made for, or one inside it: the COALESCE count below assumes each
# instrument's touch test has place tests, which the compiler leaves out for a place no code relates to.
CODES = ["DE", "FR", "IT", "EU", "US", "US-CA", "US-NY-NYC", "US-CO", "US-IL", "US-TX", "US-UT", "US-NY", "CN", "GB",
         "KR", "JP", "CA", "CA-QC", "CA-ON", "IN", "BR", "VN", "KZ"]
PROFILES = 10_000  # distinct profiles, 2,000 compared per date (every date its own)
UNKNOWN = 0.4


# --- random profiles from the vocabulary -------------------------------------------------------------------------


def _boundaries(pack) -> dict[str, list]:
    """Per fact, the literals rules compare it with (so random values land on both sides of each threshold)."""
    found: dict[str, set] = {}
    for day in (DATES[0], DATES[-1]):
        for rule in build_plan(pack, day).rules:
            for root in (rule.when, rule.applies_from):
                for node in walk(root):
                    if isinstance(node, Cmp):
                        for var, lit in ((node.left, node.right), (node.right, node.left)):
                            if isinstance(var, Var) and isinstance(lit, Lit) and lit.value is not None:
                                found.setdefault(var.name, set()).add(lit.value)
                    elif isinstance(node, In) and isinstance(node.item, Var) and isinstance(node.collection, ListLit):
                        found.setdefault(node.item.name, set()).update(i.value for i in node.collection.items)
    return {k: sorted(v, key=repr) for k, v in found.items()}


def _number(rng: random.Random, near: list) -> float:
    numbers = [v for v in near if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers and rng.random() < 0.8:
        base = float(rng.choice(numbers))
        return max(0.0, rng.choice([base, base - 1, base + 1, base * 0.5, base * 2]))
    return float(rng.choice([0, 1, 10, 1000, 1e6, 1e26]))


def _date(rng: random.Random, near: list) -> dt.date:
    dates = [v for v in near if isinstance(v, dt.date)]
    if dates and rng.random() < 0.8:
        return rng.choice(dates) + dt.timedelta(days=rng.choice([-1, 0, 1]))
    return dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(2000))


def random_profile(pack, rng: random.Random, near: dict[str, list]) -> dict:
    """Facts with ~40% unknown (absent), every fact type, place lists possibly empty, derived facts consistent."""
    facts: dict = {}
    for fact in pack.vocabulary.facts.values():
        if rng.random() < UNKNOWN:
            continue
        if fact.type == "bool":
            facts[fact.id] = rng.random() < 0.5
        elif fact.type == "number":
            facts[fact.id] = _number(rng, near.get(fact.id, []))
        elif fact.type == "date":
            facts[fact.id] = _date(rng, near.get(fact.id, []))
        elif fact.type == "enum":
            facts[fact.id] = rng.choice(list(fact.values))
        elif fact.type == "set":
            values = list(fact.values)
            facts[fact.id] = frozenset(rng.sample(values, rng.randint(0, min(3, len(values)))))
        else:  # jurisdictions
            size = rng.choice([0, 1, 1, 2, 3])
            facts[fact.id] = frozenset(rng.sample(CODES, size))
    for fact in pack.vocabulary.facts.values():
        if fact.derive_from is None or fact.derive_from not in facts:
            continue
        # A given yes/no fact must agree with its list on every date, or the scalar engine refuses the profile.
        values = {any(pack.registry.within(c, fact.derive_within, d) for c in facts[fact.derive_from]) for d in DATES}
        if len(values) == 1 and rng.random() < 0.5:
            facts[fact.id] = values.pop()
        else:
            facts.pop(fact.id, None)
    return facts


def population(pack, profiles: list[dict]) -> pl.DataFrame:
    columns = {"id": pl.Series([str(i) for i in range(len(profiles))]), "weight": pl.Series([1.0] * len(profiles))}
    for fact_id, fact in pack.vocabulary.facts.items():
        values = [p.get(fact_id) for p in profiles]
        if fact.type in ("set", "jurisdictions"):
            values = [sorted(v) if v is not None else None for v in values]
        columns[fact_id] = pl.Series(fact_id, values, dtype=fact_dtype(fact))
    return pl.DataFrame(columns)


@pytest.fixture(scope="module")
def profiles(pack) -> list[dict]:
    rng = random.Random(20260727)
    near = _boundaries(pack)
    found = [random_profile(pack, rng, near) for _ in range(PROFILES)]
    found[0] = {}  # nothing known: touches every instrument, every place question open
    found[1] = {f: frozenset() for f in ("territory.offered_in", "territory.used_in")}  # lists given, empty
    return found


@pytest.fixture(scope="module")
def frame(pack, profiles) -> pl.DataFrame:
    return population(pack, profiles)


def _word(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


@pytest.mark.parametrize("day", DATES, ids=str)
def test_duckdb_equals_scalar_engine(pack, profiles, frame, day):
    plan = build_plan(pack, day)
    out = evaluate_duckdb(plan, frame)
    assert out.columns == output_columns(plan)
    assert out.height == len(profiles)
    assert out.get_column("id").to_list() == [str(i) for i in range(len(profiles))]
    columns = {c: out.get_column(c).to_list() for c in out.columns}
    constant_from = {r.key: r.applies_from.value for r in plan.rules if isinstance(r.applies_from, Lit)}
    by_instrument = {i.id: [r.key for r in i.rules] for i in plan.instruments}
    instruments = {i.id: pack.instruments[i.id] for i in plan.instruments}
    compared = 0
    share = len(profiles) // len(DATES)
    start = DATES.index(day) * share
    chosen = [0, 1, *range(max(start, 2), start + share)]  # every date its own profiles, plus the two edge cases
    for row in chosen:
        facts = profiles[row]
        expected = assess_fast(pack, facts, day)
        derived = derive_facts(facts, pack.vocabulary, pack.registry, day, "<test>")
        for iid, instrument in instruments.items():
            touched = touches(pack, instrument, derived, day)
            assert columns[touch_column(iid)][row] is touched, (row, iid, facts)
            if not touched:
                assert not any(k in expected for k in by_instrument[iid])
                continue
            for key in by_instrument[iid]:
                outcome, applies = expected[key]
                got_from = constant_from[key] if key in constant_from else columns[from_column(key)][row]
                got = (_word(columns[key][row]), got_from if isinstance(got_from, dt.date) else None)
                assert got == (outcome, applies), (row, key, day, facts)
                compared += 1
    assert compared > len(chosen)


def test_parquet_path_and_absent_columns(pack, frame, tmp_path):
    """A Parquet file in, absent fact columns unknown: same result as the completed frame."""
    day = DATES[2]
    plan = build_plan(pack, day)
    sample = frame.head(300)
    path = tmp_path / "population.parquet"
    sample.write_parquet(path)
    assert evaluate_duckdb(plan, path).equals(evaluate_duckdb(plan, sample))
    kept = ["id", "weight", "territory.offered_in", "system.is_ai_system", "operator.size", "operator.employees"]
    thin = sample.select(kept)
    unknown = sample.select(kept + [pl.lit(None, dtype=sample.schema[c]).alias(c) for c in sample.columns
                                    if c not in kept]).select(sample.columns)
    assert evaluate_duckdb(plan, thin).equals(evaluate_duckdb(plan, unknown))
    assert evaluate_duckdb(plan, thin.lazy()).equals(evaluate_duckdb(plan, unknown))


def test_dynamic_from_columns_are_dates(pack, frame):
    plan = build_plan(pack, DATES[3])
    out = evaluate_duckdb(plan, frame.head(50))
    assert dynamic_from(plan)
    for key in dynamic_from(plan):
        assert out.schema[from_column(key)] == pl.Date
    for rule in plan.rules:
        assert out.schema[rule.key] == pl.Boolean
    for inst in plan.instruments:
        assert out.get_column(touch_column(inst.id)).null_count() == 0


def test_fact_kinds_match_vocabulary(pack):
    """Absent columns become typed NULLs; the types inferred from the rules agree with the vocabulary."""
    kind = {"bool": "bool", "number": "number", "date": "date", "enum": "string", "set": "list",
            "jurisdictions": "list"}
    for day in (DATES[0], DATES[-1]):
        for fact, inferred in fact_kinds(build_plan(pack, day)).items():
            assert inferred == kind[pack.vocabulary[fact].type], fact


# --- random rule trees against the closures ----------------------------------------------------------------------

BOOLS = ["f.b1", "f.b2", "f.b3"]
NUMS = ["f.n1", "f.n2"]
ENUM_VALUES = ["a", "b", "c"]
SET_VALUES = ["x", "y", "z"]
D0 = dt.date(2026, 7, 27)


def _rows(count: int = 120) -> list[dict]:
    rng = random.Random(7)

    def maybe(value):
        return None if rng.random() < 0.35 else value

    rows = []
    for _ in range(count):
        row = {b: maybe(rng.random() < 0.5) for b in BOOLS}
        row |= {n: maybe(float(rng.choice([0, 1, 2, 3]))) for n in NUMS}
        row["f.e"] = maybe(rng.choice(ENUM_VALUES))
        row["f.d"] = maybe(D0 + dt.timedelta(days=rng.choice([-1, 0, 1])))
        row["f.s"] = maybe(frozenset(rng.sample(SET_VALUES, rng.randint(0, 2))))
        rows.append(row)
    rows.append(dict.fromkeys([*BOOLS, *NUMS, "f.e", "f.d", "f.s"]))  # everything unknown
    return rows


ROWS = _rows()


def _lit(value) -> Lit:
    return Lit(value, repr(value))


def _leaves():
    numbers = st.sampled_from([0, 1, 2, 3, 1.5])
    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    return st.one_of(
        st.sampled_from([Var(b, b) for b in BOOLS]),
        st.sampled_from([_lit(True), _lit(False), _lit(None)]),
        st.builds(lambda op, n, v: Cmp(op, Var(n, n), _lit(v), "cmp"), ops, st.sampled_from(NUMS), numbers),
        st.builds(lambda op: Cmp(op, Var("f.n1", "n1"), Var("f.n2", "n2"), "cmp"), ops),
        st.builds(lambda op, days: Cmp(op, Var("f.d", "d"), _lit(D0 + dt.timedelta(days=days)), "cmp"), ops,
                  st.integers(-1, 1)),
        st.builds(lambda v: Cmp("==", Var("f.e", "e"), _lit(v), "cmp"), st.sampled_from(ENUM_VALUES)),
        st.builds(lambda vs: In(Var("f.e", "e"), ListLit(tuple(_lit(v) for v in vs), "l"), "in"),
                  st.lists(st.sampled_from(ENUM_VALUES), max_size=3, unique=True)),
        st.builds(lambda vs: In(Var("f.n1", "n1"), ListLit(tuple(_lit(v) for v in vs), "l"), "in"),
                  st.lists(numbers, min_size=1, max_size=3, unique=True)),
        st.builds(lambda v: In(_lit(v), Var("f.s", "s"), "in"), st.sampled_from(SET_VALUES)),
        st.builds(lambda vs: Call("intersects", (Var("f.s", "s"), ListLit(tuple(_lit(v) for v in vs), "l")), "x"),
                  st.lists(st.sampled_from(SET_VALUES), max_size=3, unique=True)),
    )


def _extend(children):
    lists = st.lists(children, min_size=2, max_size=3)
    valued = st.one_of(st.sampled_from([Var("f.n1", "n1"), _lit(1), _lit(2), _lit(None)]))
    return st.one_of(
        st.builds(lambda items: And(tuple(items), "and"), lists),
        st.builds(lambda items: Or(tuple(items), "or"), lists),
        st.builds(lambda item: Not(item, "not"), children),
        st.builds(lambda c, t, o: If(c, t, o, "if"), children, children, children),
        # a non-boolean If (numbers) compared: unknown conditions with equal branches stay known
        st.builds(lambda c, t, o, v: Cmp(">=", If(c, t, o, "if"), _lit(v), "cmp"), children, valued, valued,
                  st.sampled_from([1, 2])),
    )


TREES = st.recursive(_leaves(), _extend, max_leaves=10)


@pytest.fixture(scope="module")
def tree_db():
    con = duckdb.connect()
    table = pl.DataFrame(
        {
            **{b: pl.Series([r[b] for r in ROWS], dtype=pl.Boolean) for b in BOOLS},
            **{n: pl.Series([r[n] for r in ROWS], dtype=pl.Float64) for n in NUMS},
            "f.e": pl.Series([r["f.e"] for r in ROWS], dtype=pl.Enum(ENUM_VALUES)),
            "f.d": pl.Series([r["f.d"] for r in ROWS], dtype=pl.Date),
            "f.s": pl.Series([sorted(r["f.s"]) if r["f.s"] is not None else None for r in ROWS],
                             dtype=pl.List(pl.String)),
        }
    ).with_row_index("row")
    con.register("t", table.to_arrow())
    yield con
    con.close()


def _reference(node):
    compiler = CompiledLaw.__new__(CompiledLaw)  # no law needed: the tree has no parameter, date or rule reference
    fn = compiler._compile(node)
    return [fn((row, {})) for row in ROWS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TREES)
def test_random_trees_match_kleene(tree_db, tree):
    sql = expr_sql(tree, "duckdb")
    got = [r[0] for r in tree_db.execute(f"SELECT {sql} FROM t ORDER BY row").fetchall()]
    assert got == _reference(tree), sql


# --- golden SQL for the traps ------------------------------------------------------------------------------------

B, C = Var("f.b1", "b1"), Var("f.b2", "b2")


def test_golden_if_tests_unknown_condition_first():
    node = If(B, C, _lit(True), "b1 ? b2 : true")
    assert expr_sql(node, "duckdb") == (
        'CASE WHEN "f.b1" IS NULL THEN CASE WHEN "f.b2" = TRUE THEN "f.b2" END '
        'WHEN "f.b1" THEN "f.b2" ELSE TRUE END'
    )
    assert expr_sql(node, "spark") == (
        "CASE WHEN `f.b1` IS NULL THEN CASE WHEN `f.b2` = TRUE THEN `f.b2` END "
        "WHEN `f.b1` THEN `f.b2` ELSE TRUE END"
    )
    dates = If(B, _lit(dt.date(2027, 12, 2)), _lit(dt.date(2028, 8, 2)), "d")
    assert expr_sql(dates, "duckdb") == (
        "CASE WHEN \"f.b1\" IS NULL THEN NULL WHEN \"f.b1\" THEN CAST('2027-12-02' AS DATE) "
        "ELSE CAST('2028-08-02' AS DATE) END"
    )
    same = If(B, _lit(dt.date(2027, 12, 2)), _lit(dt.date(2027, 12, 2)), "d")
    assert expr_sql(same, "duckdb") == "CAST('2027-12-02' AS DATE)"


def test_golden_in_with_null_list_is_unknown():
    node = In(_lit("x"), Var("f.s", "s"), '"x" in s')
    assert expr_sql(node, "duckdb") == "LIST_CONTAINS(\"f.s\", 'x')"  # not 'x' = ANY(...): false on a null list
    assert expr_sql(node, "spark") == "ARRAY_CONTAINS(`f.s`, 'x')"
    con = duckdb.connect()
    assert con.execute("SELECT LIST_CONTAINS(CAST(NULL AS VARCHAR[]), 'x')").fetchone() == (None,)
    assert con.execute("SELECT 'x' = ANY(CAST(NULL AS VARCHAR[]))").fetchone() == (False,)  # the trap itself
    listed = Call("intersects", (Var("f.s", "s"), ListLit((_lit("x"), _lit("y")), "l")), "i")
    assert expr_sql(listed, "duckdb") == "LIST_HAS_ANY(\"f.s\", ['x', 'y'])"
    # sqlglot would print exp.ArrayOverlaps as `&&` in Spark, which Spark does not parse
    assert expr_sql(listed, "spark") == "ARRAYS_OVERLAP(`f.s`, ARRAY('x', 'y'))"
    empty = In(Var("f.e", "e"), ListLit((), "[]"), "e in []")
    assert expr_sql(empty, "duckdb") == 'CASE WHEN "f.e" IS NULL THEN CAST(NULL AS BOOLEAN) ELSE FALSE END'


def test_golden_boolean_nesting_is_parenthesised():
    """sqlglot prints Not(Or(a, b)) as `NOT a OR b`: every compound is wrapped explicitly."""
    node = Not(Or((B, And((C, Not(B, "!b"), ), "and")), "or"), "not")
    assert expr_sql(node, "duckdb") == '(NOT ("f.b1" OR ("f.b2" AND (NOT "f.b1"))))'
    assert expr_sql(node, "spark") == "(NOT (`f.b1` OR (`f.b2` AND (NOT `f.b1`))))"


def test_generated_sql_avoids_null_skipping_functions(pack):
    """No aggregate or list function that skips nulls, no COALESCE except around touch tests, no `len`."""
    plan = build_plan(pack, DATES[2])
    for dialect in ("duckdb", "spark"):
        sql = compile_sql(plan, dialect, universe=CODES).upper()
        for banned in ("BOOL_AND", "BOOL_OR", "LIST_BOOL", "GREATEST", "LEAST", "= ANY(", "LEN(", "LENGTH(", " && "):
            assert banned not in sql, (dialect, banned)
        assert sql.count("COALESCE(") == sum(len(i.union_facts) + len(plan.place_facts) for i in plan.instruments)
        assert sql.count("WITH ") == 1 and sql.count(" AS (SELECT ") == 1 + len(plan.levels())


def test_list_functions_and_masks_agree(pack, frame):
    """Place lists read through coverage masks (default) or one list search per target: the same findings."""
    plan = build_plan(pack, DATES[1])
    sample = frame.head(500)
    con = duckdb.connect()
    con.register("population", sample.to_arrow())
    universe = [r[0] for r in con.execute('SELECT DISTINCT UNNEST("territory.used_in") FROM population').fetchall()]
    universe += CODES
    masked = con.sql(compile_sql(plan, "duckdb", universe=universe)).to_arrow_table()
    searched_sql = compile_sql(plan, "duckdb", universe=universe, masked=False)
    assert "__mask" not in searched_sql and "LIST_HAS_ANY" in searched_sql
    assert masked.equals(con.sql(searched_sql).to_arrow_table())
