"""The columns of the plan's SQL query: their names, and the kind of every fact the plan reads.

SQL needs a type for a fact the data does not have (a typed NULL), and the IR does not carry one: the kind of
each fact is inferred from how the rules use it (`fact_kinds`).
"""

from __future__ import annotations

import datetime as dt

from ..expr.ir import And, Call, Cmp, If, In, ListLit, Lit, Node, Not, Or, Var, walk
from .plan import Plan, within_calls


def touch_column(instrument_id: str) -> str:
    return f"touch:{instrument_id}"


def mask_column(fact: str) -> str:
    return f"__mask:{fact}"


def from_column(key: str) -> str:
    return f"{key}@from"


def dynamic_from(plan: Plan) -> list[str]:
    """Keys of the rules whose applies-from date depends on the row (not a constant after folding)."""
    return [r.key for r in plan.rules if not isinstance(r.applies_from, Lit)]


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
