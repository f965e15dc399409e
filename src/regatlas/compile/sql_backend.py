"""The plan as SQL: IR -> sqlglot syntax tree -> SQL text for DuckDB or Spark SQL.

The query has one CTE for the facts (absent columns as typed NULLs, derived facts in place) and one per
dependency level of the plan, so a rule reads the columns of earlier levels:

    WITH facts AS (SELECT id, weight, <facts> FROM population),
         level0 AS (SELECT *, <rules of level 0> FROM facts),
         level1 AS (SELECT *, <rules of level 1> FROM level0), ...
    SELECT id, weight, "touch:<instrument>"..., "<instrument:rule>"..., "<instrument:rule>@from"... FROM levelN

Expressions are compiled by `sql_expr.SqlCompiler` (the three-valued traps are explained there); column
names and the kinds of facts come from `sql_columns`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlglot import exp

from ..expr.ir import Lit, Node
from .columns import ID_COLUMN, WEIGHT_COLUMN
from .plan import Plan
from .sql_columns import dynamic_from, fact_kinds, from_column, list_facts, mask_column, touch_column
from .sql_expr import DIALECTS, TYPES, SqlCompiler, paren, quoted_column, wrap

SOURCE = "population"
FACTS_CTE = "facts"


def output_columns(plan: Plan) -> list[str]:
    """The result's columns, in order."""
    return (
        [ID_COLUMN, WEIGHT_COLUMN]
        + [touch_column(i.id) for i in plan.instruments]
        + [r.key for r in plan.rules]
        + [from_column(k) for k in dynamic_from(plan)]
    )


def expr_sql(node: Node, dialect: str = "duckdb", plan: Plan | None = None, universe: Iterable[str] = ()) -> str:
    """One IR node as SQL in the dialect (facts as quoted columns, rule references as columns named by key)."""
    return SqlCompiler(plan, dialect, frozenset(universe)).sql(node)


def _fact_select(
    plan: Plan, compiler: SqlCompiler, columns: Mapping[str, object] | None, source: exp.Expression
) -> exp.Select:
    """id, weight and every fact the plan reads: absent ones as typed NULLs, derived ones in place."""
    present = set(columns) if columns is not None else None
    kinds = fact_kinds(plan)
    types = TYPES[compiler.dialect]

    def read(fact: str) -> exp.Expression:
        if present is None or fact in present:
            return quoted_column(fact)
        return exp.cast(exp.null(), exp.DataType.build(types[kinds.get(fact, "string")], dialect=compiler.dialect))

    select: list[exp.Expression] = []
    if present is None or ID_COLUMN in present:
        select.append(quoted_column(ID_COLUMN))
    else:
        number = exp.Sub(this=exp.Window(this=exp.RowNumber()), expression=exp.Literal.number(1))
        select.append(
            exp.alias_(
                exp.cast(number, exp.DataType.build(types["string"], dialect=compiler.dialect)), ID_COLUMN, quoted=True
            )
        )
    if present is None or WEIGHT_COLUMN in present:
        select.append(quoted_column(WEIGHT_COLUMN))
    else:
        select.append(
            exp.alias_(exp.cast(exp.Literal.number("1.0"), exp.DataType.build("DOUBLE")), WEIGHT_COLUMN, quoted=True)
        )
    derived = {d.fact_id: d for d in plan.derived}
    for fact in sorted(kinds):
        value = read(fact)
        if fact in derived:
            d = derived[fact]
            source_list = read(d.source)
            inside = plan.inside_codes(d.within, compiler.universe)
            value = exp.Case(
                ifs=[
                    exp.If(
                        this=exp.Not(this=wrap(exp.Is(this=source_list, expression=exp.null()))),
                        true=compiler.overlaps(source_list, inside),
                    )
                ],
                default=value,
            )
        select.append(exp.alias_(value, fact, quoted=True, copy=False) if not isinstance(value, exp.Column) else value)
    if compiler.masked:
        for fact in list_facts(plan):
            listed = read(fact)
            mask = compiler.mask(listed) if isinstance(listed, exp.Column) else exp.cast(exp.null(), "BIGINT")
            select.append(exp.alias_(mask, mask_column(fact), quoted=True, copy=False))
    return exp.select(*select).from_(source, copy=False)


def _touch(plan: Plan, compiler: SqlCompiler, instrument) -> exp.Expression:
    """Never null: any union fact true, or no place list at all, or any listed code related to the jurisdiction."""
    false = exp.false()
    terms: list[exp.Expression] = [
        exp.Coalesce(this=quoted_column(f), expressions=[false]) for f in instrument.union_facts
    ]
    nothing = [exp.Is(this=quoted_column(f), expression=exp.null()) for f in plan.place_facts]
    terms.append(wrap(exp.and_(*nothing, copy=False)) if len(nothing) > 1 else nothing[0])
    if compiler.related(instrument.jurisdiction):
        tests = [compiler.place_test(f, instrument.jurisdiction) for f in plan.place_facts]
        terms += [exp.Coalesce(this=t, expressions=[false]) for t in tests]
    return wrap(exp.or_(*terms, copy=False))


def build_query(
    plan: Plan,
    dialect: str = "duckdb",
    universe: Iterable[str] = (),
    source: str | exp.Expression = SOURCE,
    columns: Mapping[str, object] | Iterable[str] | None = None,
    masked: bool = True,
) -> exp.Select:
    """The whole plan as one sqlglot query over `source` (a table name, or an expression such as read_parquet).

    `columns` names the columns the source has (absent facts become typed NULLs); None trusts that every fact
    the plan reads is there. `masked` reads place lists through one coverage bitmask per list (4x faster on
    DuckDB than a list search per target); False keeps `list_has_any`/`arrays_overlap` per target.
    """
    compiler = SqlCompiler(plan, dialect, frozenset(universe), masked=masked)
    if isinstance(columns, Iterable) and not isinstance(columns, Mapping):
        columns = dict.fromkeys(columns)
    table = exp.to_table(source, dialect=dialect) if isinstance(source, str) else source
    previous = FACTS_CTE
    ctes: list[tuple[str, exp.Expression]] = [(FACTS_CTE, _fact_select(plan, compiler, columns, table))]
    for number, level in enumerate(plan.levels()):
        select: list[exp.Expression] = [exp.Star()]
        for rule in level:
            value = compiler.typed(rule.when, compiler.expr(rule.when), "bool")
            if rule.exceptions:
                defeated = wrap(exp.or_(*[quoted_column(e) for e in rule.exceptions], copy=False))
                value = wrap(exp.and_(paren(value), exp.Not(this=defeated), copy=False))
            select.append(exp.alias_(value, rule.key, quoted=True, copy=False))
            if not isinstance(rule.applies_from, Lit):
                applies = compiler.typed(rule.applies_from, compiler.expr(rule.applies_from), "date")
                select.append(exp.alias_(applies, from_column(rule.key), quoted=True, copy=False))
        name = f"level{number}"
        ctes.append((name, exp.select(*select).from_(previous, copy=False)))
        previous = name
    touches = [
        exp.alias_(_touch(plan, compiler, i), touch_column(i.id), quoted=True, copy=False) for i in plan.instruments
    ]
    query = exp.select(
        quoted_column(ID_COLUMN),
        quoted_column(WEIGHT_COLUMN),
        *touches,
        *[quoted_column(r.key) for r in plan.rules],
        *[quoted_column(from_column(k)) for k in dynamic_from(plan)],
    ).from_(previous, copy=False)
    for name, cte in ctes:
        query = query.with_(name, as_=cte, copy=False)
    return query


def compile_sql(
    plan: Plan,
    dialect: str = "duckdb",
    universe: Iterable[str] = (),
    source: str | exp.Expression = SOURCE,
    columns: Mapping[str, object] | Iterable[str] | None = None,
    pretty: bool = False,
    masked: bool = True,
) -> str:
    """The plan as SQL text in the dialect (see `build_query`)."""
    return build_query(plan, dialect, universe, source, columns, masked).sql(dialect=dialect, pretty=pretty)


def universe_query(facts: Iterable[str], dialect: str = "duckdb", source: str | exp.Expression = SOURCE) -> str:
    """The distinct codes listed in the given list columns (one column `code`)."""
    table = exp.to_table(source, dialect=dialect) if isinstance(source, str) else source
    parts = [
        exp.select(exp.alias_(exp.Explode(this=quoted_column(f)), "code", quoted=True, copy=False)).from_(table.copy())
        for f in facts
    ]
    if not parts:
        return exp.select(exp.alias_(exp.null(), "code")).where(exp.false()).sql(dialect=dialect)
    union = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    inner = (
        exp.select(exp.alias_(quoted_column("code"), "code", quoted=True, copy=False))
        .distinct()
        .from_(exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier("codes"))))
        .where(exp.Not(this=wrap(exp.Is(this=quoted_column("code"), expression=exp.null()))))
    )
    return inner.sql(dialect=dialect)


__all__ = [
    "DIALECTS",
    "SqlCompiler",
    "build_query",
    "compile_sql",
    "dynamic_from",
    "expr_sql",
    "fact_kinds",
    "from_column",
    "list_facts",
    "output_columns",
    "touch_column",
    "universe_query",
]
