"""IR expressions as sqlglot expressions for DuckDB or Spark SQL, with the scalar engine's three-valued logic.

Every dialect is generated from the IR through sqlglot's expression classes, never by transpiling SQL text
between dialects: transpilation changes three-valued semantics in places (DESIGN.md section 5). The
functions whose null behaviour matters are named per dialect (see `_FUNCTIONS`), and every compound boolean is
parenthesised explicitly, because sqlglot prints `Not(Or(a, b))` as `NOT a OR b`.

Null is unknown in every column. What each construct gives, row by row, is exactly the scalar engine's
(engine/closures.py): `x in [..]` is `x IN (..)` (null when x is null); `"v" in set_fact` and
`intersects()`/`within()` use the list functions that return null for a null list (`list_contains`,
`list_has_any`; Spark `array_contains`, `arrays_overlap`), never `= ANY(..)`, which is false on a null list;
`If` tests `cond IS NULL` first, because `CASE WHEN NULL` takes the ELSE branch.

Place containment is a coverage question answered on the plan's date for the codes that occur in the data
(the `universe`): `within(list, T)` becomes "the list overlaps the codes related to T".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlglot import exp

from ..expr.ir import And, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or, RuleRef, Var
from .plan import Plan
from .sql_columns import mask_column

DIALECTS = ("duckdb", "spark")
MAX_BITS = 62

# Functions with the null behaviour we need: null for a null list, false for an empty one.
_FUNCTIONS = {
    "duckdb": {"contains": "list_contains", "overlaps": "list_has_any"},
    "spark": {"contains": "array_contains", "overlaps": "arrays_overlap"},
}
# Column types of facts absent from the data (typed NULLs), by the kind `fact_kinds` infers.
TYPES = {
    "duckdb": {"bool": "BOOLEAN", "number": "DOUBLE", "date": "DATE", "string": "VARCHAR", "list": "VARCHAR[]"},
    "spark": {"bool": "BOOLEAN", "number": "DOUBLE", "date": "DATE", "string": "STRING", "list": "ARRAY<STRING>"},
}


def quoted_column(name: str, table: str | None = None) -> exp.Column:
    """A column by its name, always quoted (fact ids hold dots, rule keys colons)."""
    return exp.column(name, table=table, quoted=True)


def paren(node: exp.Expression) -> exp.Expression:
    """The node in parentheses unless it is atomic (a column, a literal, a parenthesised expression)."""
    return node if isinstance(node, exp.Paren | exp.Column | exp.Boolean | exp.Null | exp.Literal) else wrap(node)


def wrap(node: exp.Expression) -> exp.Paren:
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
            return wrap(
                exp.NEQ(
                    this=wrap(exp.BitwiseAnd(this=quoted_column(mask_column(fact)), expression=bit)),
                    expression=exp.Literal.number(0),
                )
            )
        return self.overlaps(quoted_column(fact), self.related(target))

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
            return quoted_column(node.name)
        if isinstance(node, RuleRef):
            return quoted_column(node.rule_id)
        if isinstance(node, And | Or):
            parts = [paren(self.expr(i)) for i in node.items]
            joined = parts[0]
            for part in parts[1:]:
                joined = (exp.And if isinstance(node, And) else exp.Or)(this=joined, expression=part)
            return wrap(joined)
        if isinstance(node, Not):
            return wrap(exp.Not(this=paren(self.expr(node.item))))
        if isinstance(node, Cmp):
            op = {"==": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[node.op]
            return wrap(op(this=paren(self.expr(node.left)), expression=paren(self.expr(node.right))))
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
            return wrap(exp.In(this=paren(item), expressions=values))
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
            agreed = exp.Case(ifs=[exp.If(this=exp.EQ(this=paren(then), expression=paren(other)), true=then)])
        # CASE WHEN NULL takes the ELSE branch: test the unknown condition first.
        return exp.Case(
            ifs=[
                exp.If(this=exp.Is(this=paren(cond), expression=exp.null()), true=agreed),
                exp.If(this=cond, true=then),
            ],
            default=other,
        )

    def typed(self, node: Node, expression: exp.Expression, kind: str) -> exp.Expression:
        """A bare literal NULL gets its type, so every output column has the right one."""
        if isinstance(node, Lit) and node.value is None:
            return exp.cast(exp.null(), exp.DataType.build(TYPES[self.dialect][kind], dialect=self.dialect))
        return expression

    def sql(self, node: Node) -> str:
        return self.expr(node).sql(dialect=self.dialect)
