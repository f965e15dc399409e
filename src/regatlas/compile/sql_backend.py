"""The plan as SQL: IR -> sqlglot syntax tree -> SQL text for DuckDB or Spark SQL.

Every dialect is generated from the IR through sqlglot's expression classes, never by transpiling SQL text
between dialects: transpilation changes three-valued semantics in places (DESIGN.md section 5). The
functions whose null behaviour matters are named per dialect (see `_FUNCTIONS`), and every compound boolean is
parenthesised explicitly, because sqlglot prints `Not(Or(a, b))` as `NOT a OR b`.

Null is unknown in every column. What each construct gives, row by row, is exactly the scalar engine's
(engine/closures.py): `x in [..]` is `x IN (..)` (null when x is null); `"v" in set_fact` and
`intersects()`/`within()` use the list functions that return null for a null list (`list_contains`,
`list_has_any`; Spark `array_contains`, `arrays_overlap`), never `= ANY(..)`, which is false on a null list;
`If` tests `cond IS NULL` first, because `CASE WHEN NULL` takes the ELSE branch.

The query has one CTE for the facts (absent columns as typed NULLs, derived facts in place) and one per
dependency level of the plan, so a rule reads the columns of earlier levels:

    WITH facts AS (SELECT id, weight, <facts> FROM population),
         level0 AS (SELECT *, <rules of level 0> FROM facts),
         level1 AS (SELECT *, <rules of level 1> FROM level0), ...
    SELECT id, weight, "touch:<instrument>"..., "<instrument:rule>"..., "<instrument:rule>@from"... FROM levelN

Place containment is a coverage question answered on the plan's date for the codes that occur in the data
(the `universe`): `within(list, T)` becomes "the list overlaps the codes related to T".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlglot import exp

from ..expr.ir import And, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or, RuleRef, Var, walk
from ..simulate.columns import ID_COLUMN, WEIGHT_COLUMN
from .plan import Plan, within_calls

DIALECTS = ("duckdb", "spark")
MAX_BITS = 62
SOURCE = "population"
FACTS_CTE = "facts"

# Functions with the null behaviour we need: null for a null list, false for an empty one.
_FUNCTIONS = {
    "duckdb": {"contains": "list_contains", "overlaps": "list_has_any"},
    "spark": {"contains": "array_contains", "overlaps": "arrays_overlap"},
}
# Column types of facts absent from the data (typed NULLs), by the kind `fact_kinds` infers.
_TYPES = {
    "duckdb": {"bool": "BOOLEAN", "number": "DOUBLE", "date": "DATE", "string": "VARCHAR", "list": "VARCHAR[]"},
    "spark": {"bool": "BOOLEAN", "number": "DOUBLE", "date": "DATE", "string": "STRING", "list": "ARRAY<STRING>"},
}


def touch_column(instrument_id: str) -> str:
    return f"touch:{instrument_id}"


def mask_column(fact: str) -> str:
    return f"__mask:{fact}"


def from_column(key: str) -> str:
    return f"{key}@from"


def dynamic_from(plan: Plan) -> list[str]:
    """Keys of the rules whose applies-from date depends on the row (not a constant after folding)."""
    return [r.key for r in plan.rules if not isinstance(r.applies_from, Lit)]


def output_columns(plan: Plan) -> list[str]:
    """The result's columns, in order."""
    return (
        [ID_COLUMN, WEIGHT_COLUMN]
        + [touch_column(i.id) for i in plan.instruments]
        + [r.key for r in plan.rules]
        + [from_column(k) for k in dynamic_from(plan)]
    )


def list_facts(plan: Plan) -> list[str]:
    """The jurisdictions facts whose codes make up the coverage universe."""
    found = set(plan.place_facts) | {d.source for d in plan.derived}
    for rule in plan.rules:
        for node in (rule.when, rule.applies_from):
            found |= {f for f, _ in within_calls(node)}
    return sorted(found)


def _lit_kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "string"
    return None


def fact_kinds(plan: Plan) -> dict[str, str]:
    """The column kind (bool, number, date, string, list) of every fact the plan reads, inferred from its use.

    The type checker already fixed how each fact may be used, so its use tells its type; this is what typed
    NULLs for absent columns need (a bare NULL cannot be passed to a list function).
    """
    kinds: dict[str, str] = {}
    for fact in list_facts(plan):
        kinds[fact] = "list"
    for derived in plan.derived:
        kinds[derived.fact_id] = "bool"
    for inst in plan.instruments:
        for fact in inst.union_facts:
            kinds[fact] = "bool"

    def note(node: Node, kind: str | None) -> None:
        if isinstance(node, Var) and kind is not None:
            kinds.setdefault(node.name, kind)

    for rule in plan.rules:
        note(rule.when, "bool")
        for root in (rule.when, rule.applies_from):
            for node in walk(root):
                if isinstance(node, And | Or):
                    for item in node.items:
                        note(item, "bool")
                elif isinstance(node, Not):
                    note(node.item, "bool")
                elif isinstance(node, If):
                    note(node.cond, "bool")
                    note(node.then, _lit_kind(node.other.value) if isinstance(node.other, Lit) else None)
                    note(node.other, _lit_kind(node.then.value) if isinstance(node.then, Lit) else None)
                elif isinstance(node, Cmp):
                    note(node.left, _lit_kind(node.right.value) if isinstance(node.right, Lit) else None)
                    note(node.right, _lit_kind(node.left.value) if isinstance(node.left, Lit) else None)
                elif isinstance(node, In):
                    if isinstance(node.collection, Var):
                        note(node.collection, "list")
                    elif isinstance(node.collection, ListLit) and node.collection.items:
                        note(node.item, _lit_kind(node.collection.items[0].value))
                elif isinstance(node, Call):
                    note(node.args[0], "list")
    for rule in plan.rules:  # still unresolved (two facts compared with each other): text
        for root in (rule.when, rule.applies_from):
            for node in walk(root):
                if isinstance(node, Var):
                    kinds.setdefault(node.name, "string")
    return kinds


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _paren(node: exp.Expression) -> exp.Expression:
    return node if isinstance(node, exp.Paren | exp.Column | exp.Boolean | exp.Null | exp.Literal) else _wrap(node)


def _wrap(node: exp.Expression) -> exp.Paren:
    return exp.Paren(this=node)


def _bool_null() -> exp.Expression:
    return exp.cast(exp.null(), exp.DataType.build("BOOLEAN"))


@dataclass
class SqlCompiler:
    """Translates IR nodes of a plan into sqlglot expressions for one dialect.

    `universe` is the set of jurisdiction codes that occur in the data: `within()` targets and derivations
    are resolved against it on the plan's date (`Plan.related_codes` / `Plan.inside_codes`).
    """

    plan: Plan | None
    dialect: str = "duckdb"
    universe: frozenset[str] = frozenset()
    masked: bool = False  # read place lists through coverage masks (build_query computes them per row)
    _related: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _bits: dict[str, int] = field(default_factory=dict, repr=False)  # target -> bit of the "related" test
    _masks: dict[str, int] = field(default_factory=dict, repr=False)  # code -> OR of the targets' bits

    def __post_init__(self) -> None:
        if self.dialect not in DIALECTS:
            raise ValueError(f"unknown SQL dialect {self.dialect!r}; use one of {', '.join(DIALECTS)}")
        self.universe = frozenset(self.universe)
        if self.masked and self.plan is not None:
            targets = self.plan.targets()
            if len(targets) > MAX_BITS:
                self.masked = False  # too many places for one integer: list functions instead
            else:
                self._bits = {t: i for i, t in enumerate(targets)}
                for target, bit in self._bits.items():
                    for code in self.related(target):
                        self._masks[code] = self._masks.get(code, 0) | (1 << bit)

    def mask(self, column: exp.Expression) -> exp.Expression:
        """A place list as one integer: the OR of its codes' masks; null for a null list, 0 for an empty one.

        One pass over the list per row, instead of one list search per (list, target) pair.
        """
        bigint = exp.DataType.build("BIGINT")
        code = exp.to_identifier("code")
        ifs = [exp.If(this=exp.Literal.string(c), true=exp.Literal.number(m)) for c, m in sorted(self._masks.items())]
        per_code = exp.cast(exp.Case(this=exp.column(code), ifs=ifs, default=exp.Literal.number(0)), bigint)
        if not ifs:
            per_code = exp.cast(exp.Literal.number(0), bigint)
        acc, item = exp.to_identifier("acc"), exp.to_identifier("item")
        orred = exp.Lambda(
            this=exp.BitwiseOr(this=exp.column(acc), expression=exp.column(item)), expressions=[acc, item]
        )
        zero = exp.cast(exp.Literal.number(0), bigint)
        if self.dialect == "duckdb":  # DuckDB 2.0 rejects `x -> ...`: sqlglot prints `LAMBDA x : ...` for it
            codes = exp.Anonymous(
                this="list_transform", expressions=[column, exp.Lambda(this=per_code, expressions=[code])]
            )
            return exp.Anonymous(this="list_reduce", expressions=[codes, orred, zero])
        per_item = per_code.transform(lambda n: exp.column(item) if isinstance(n, exp.Column) else n)
        fold = exp.Lambda(this=exp.BitwiseOr(this=exp.column(acc), expression=per_item), expressions=[acc, item])
        return exp.Anonymous(this="aggregate", expressions=[column, zero, fold])

    def place_test(self, fact: str, target: str) -> exp.Expression:
        """Does the list hold a code related to the target (null for a null list)?"""
        if self.masked and target in self._bits:
            bit = exp.Literal.number(1 << self._bits[target])
            return _wrap(
                exp.NEQ(
                    this=_wrap(exp.BitwiseAnd(this=_col(mask_column(fact)), expression=bit)),
                    expression=exp.Literal.number(0),
                )
            )
        return self.overlaps(_col(fact), self.related(target))

    # --- coverage -------------------------------------------------------------------------------------------

    def related(self, target: str) -> list[str]:
        if target not in self._related:
            self._related[target] = self.plan.related_codes(target, self.universe) if self.plan else []
        return self._related[target]

    def overlaps(self, column: exp.Expression, codes: Iterable[str]) -> exp.Expression:
        """Null when the list is null, else does it hold any of the codes (false for an empty list)."""
        codes = sorted(set(codes))
        if not codes:
            return exp.Case(
                ifs=[exp.If(this=exp.Is(this=column, expression=exp.null()), true=_bool_null())], default=exp.false()
            )
        array = exp.Array(expressions=[exp.Literal.string(c) for c in codes])
        return exp.Anonymous(this=_FUNCTIONS[self.dialect]["overlaps"], expressions=[column, array])

    def contains(self, column: exp.Expression, item: exp.Expression) -> exp.Expression:
        """Null when the list is null (unlike `item = ANY(list)`, which is false there)."""
        return exp.Anonymous(this=_FUNCTIONS[self.dialect]["contains"], expressions=[column, item])

    # --- IR nodes -------------------------------------------------------------------------------------------

    def literal(self, value: object) -> exp.Expression:
        if value is None:
            return exp.null()
        if isinstance(value, bool):
            return exp.true() if value else exp.false()
        if isinstance(value, int | float):
            text = repr(float(value)) if isinstance(value, float) else str(value)
            return exp.Literal.number(text)
        if isinstance(value, dt.date):
            return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"))
        if isinstance(value, str):
            return exp.Literal.string(value)
        raise TypeError(f"cannot write {value!r} as SQL")

    def expr(self, node: Node) -> exp.Expression:
        if isinstance(node, Lit):
            return self.literal(node.value)
        if isinstance(node, Var):
            return _col(node.name)
        if isinstance(node, RuleRef):
            return _col(node.rule_id)
        if isinstance(node, And | Or):
            parts = [_paren(self.expr(i)) for i in node.items]
            joined = parts[0]
            for part in parts[1:]:
                joined = (exp.And if isinstance(node, And) else exp.Or)(this=joined, expression=part)
            return _wrap(joined)
        if isinstance(node, Not):
            return _wrap(exp.Not(this=_paren(self.expr(node.item))))
        if isinstance(node, Cmp):
            op = {"==": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[node.op]
            return _wrap(op(this=_paren(self.expr(node.left)), expression=_paren(self.expr(node.right))))
        if isinstance(node, In):
            return self._in(node)
        if isinstance(node, If):
            return self._if(node)
        if isinstance(node, Call):
            column = self.expr(node.args[0])
            if node.fn == "within":
                return self.place_test(node.args[0].name, node.args[1].value)  # type: ignore[union-attr]
            if node.fn == "intersects":
                return self.overlaps(column, [str(i.value) for i in node.args[1].items])  # type: ignore[union-attr]
        raise TypeError(f"cannot compile {node!r} to SQL")

    def _in(self, node: In) -> exp.Expression:
        item = self.expr(node.item)
        if isinstance(node.collection, ListLit):
            if not node.collection.items:
                return exp.Case(
                    ifs=[exp.If(this=exp.Is(this=item, expression=exp.null()), true=_bool_null())], default=exp.false()
                )
            values = [self.literal(i.value) for i in node.collection.items]
            return _wrap(exp.In(this=_paren(item), expressions=values))
        collection = self.expr(node.collection)  # a set fact: the item is a literal
        if isinstance(node.item, Lit) and node.item.value is None:
            return _bool_null()
        return self.contains(collection, item)

    def _if(self, node: If) -> exp.Expression:
        cond, then, other = self.expr(node.cond), self.expr(node.then), self.expr(node.other)
        if isinstance(node.then, Lit) and isinstance(node.other, Lit):
            agreed = then if node.then.value == node.other.value else exp.null()
            if node.then.value == node.other.value and node.then.value is not None:
                return then  # both branches agree: the condition does not matter
        else:
            agreed = exp.Case(ifs=[exp.If(this=exp.EQ(this=_paren(then), expression=_paren(other)), true=then)])
        # CASE WHEN NULL takes the ELSE branch: test the unknown condition first.
        return exp.Case(
            ifs=[
                exp.If(this=exp.Is(this=_paren(cond), expression=exp.null()), true=agreed),
                exp.If(this=cond, true=then),
            ],
            default=other,
        )

    def typed(self, node: Node, expression: exp.Expression, kind: str) -> exp.Expression:
        """A bare literal NULL gets its type, so every output column has the right one."""
        if isinstance(node, Lit) and node.value is None:
            return exp.cast(exp.null(), exp.DataType.build(_TYPES[self.dialect][kind], dialect=self.dialect))
        return expression

    def sql(self, node: Node) -> str:
        return self.expr(node).sql(dialect=self.dialect)


def expr_sql(node: Node, dialect: str = "duckdb", plan: Plan | None = None, universe: Iterable[str] = ()) -> str:
    """One IR node as SQL in the dialect (facts as quoted columns, rule references as columns named by key)."""
    return SqlCompiler(plan, dialect, frozenset(universe)).sql(node)


def _fact_select(
    plan: Plan, compiler: SqlCompiler, columns: Mapping[str, object] | None, source: exp.Expression
) -> exp.Select:
    """id, weight and every fact the plan reads: absent ones as typed NULLs, derived ones in place."""
    present = set(columns) if columns is not None else None
    kinds = fact_kinds(plan)
    types = _TYPES[compiler.dialect]

    def read(fact: str) -> exp.Expression:
        if present is None or fact in present:
            return _col(fact)
        return exp.cast(exp.null(), exp.DataType.build(types[kinds.get(fact, "string")], dialect=compiler.dialect))

    select: list[exp.Expression] = []
    if present is None or ID_COLUMN in present:
        select.append(_col(ID_COLUMN))
    else:
        number = exp.Sub(this=exp.Window(this=exp.RowNumber()), expression=exp.Literal.number(1))
        select.append(
            exp.alias_(
                exp.cast(number, exp.DataType.build(types["string"], dialect=compiler.dialect)), ID_COLUMN, quoted=True
            )
        )
    if present is None or WEIGHT_COLUMN in present:
        select.append(_col(WEIGHT_COLUMN))
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
                        this=exp.Not(this=_wrap(exp.Is(this=source_list, expression=exp.null()))),
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
    terms: list[exp.Expression] = [exp.Coalesce(this=_col(f), expressions=[false]) for f in instrument.union_facts]
    nothing = [exp.Is(this=_col(f), expression=exp.null()) for f in plan.place_facts]
    terms.append(_wrap(exp.and_(*nothing, copy=False)) if len(nothing) > 1 else nothing[0])
    if compiler.related(instrument.jurisdiction):
        tests = [compiler.place_test(f, instrument.jurisdiction) for f in plan.place_facts]
        terms += [exp.Coalesce(this=t, expressions=[false]) for t in tests]
    return _wrap(exp.or_(*terms, copy=False))


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
                defeated = _wrap(exp.or_(*[_col(e) for e in rule.exceptions], copy=False))
                value = _wrap(exp.and_(_paren(value), exp.Not(this=defeated), copy=False))
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
        _col(ID_COLUMN),
        _col(WEIGHT_COLUMN),
        *touches,
        *[_col(r.key) for r in plan.rules],
        *[_col(from_column(k)) for k in dynamic_from(plan)],
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
        exp.select(exp.alias_(exp.Explode(this=_col(f)), "code", quoted=True, copy=False)).from_(table.copy())
        for f in facts
    ]
    if not parts:
        return exp.select(exp.alias_(exp.null(), "code")).where(exp.false()).sql(dialect=dialect)
    union = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    inner = (
        exp.select(exp.alias_(_col("code"), "code", quoted=True, copy=False))
        .distinct()
        .from_(exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier("codes"))))
        .where(exp.Not(this=_wrap(exp.Is(this=_col("code"), expression=exp.null()))))
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
