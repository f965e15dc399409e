"""Scenarios: small, validated overlays on the rule pack, like parametric reforms (docs/scenarios.md).

A scenario is never law: it builds a changed copy of the pack in memory and leaves the pack alone. Five kinds
of change, applied in the order written:

- `parameter`: a dated parameter takes a new value from a date (the systemic-risk FLOP threshold to 1e24);
- `move_date`: every applies-from date D of an instrument's rules becomes D' (Annex III back to 2 August 2026);
- `version`: a rule gets a new wording from a date (earlier wordings end the day before);
- `extend`: an instrument applies in other places too; its territorial connecting factors (placement on the
  EU market, use in the EU, `within(..., "EU")`) are re-anchored to each new place ("common rules");
- `remove`: instruments stop applying, named or by place (US federal preemption of state and city laws).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PackError, Problem, nearest
from ..expr.check import BOOL, DATE, CheckError, Scope, resolve
from ..expr.ir import And, Call, Cmp, If, In, Lit, Node, Not, Or, Var
from ..expr.parser import ExprSyntaxError, parse
from ..rules.model import ParamValue, Version, updated
from ..rules.pack import CompiledVersion, LoadedInstrument, LoadedRule, Pack
from ..rules.validation import validate as _validate
from ..yamlio import LineMap, PathKey, dotted, load_file

CLONE_MARK = "@"  # eu_ai_act@US: the AI Act extended to the US (no pack id can hold "@")


def law_of(instrument_id: str) -> str:
    """The instrument a scenario's extension copies (itself for every instrument of the pack)."""
    return instrument_id.split(CLONE_MARK, 1)[0]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParameterChange(_Strict):
    kind: Literal["parameter"]
    instrument: str
    parameter: str
    value: float | dt.date
    valid_from: dt.date


class MoveDate(_Strict):
    kind: Literal["move_date"]
    instrument: str
    date: dt.date = Field(description="an applies-from date as written in the rules")
    to: dt.date


class NewVersion(_Strict):
    kind: Literal["version"]
    instrument: str
    rule: str
    valid_from: dt.date
    applies_from: str
    when: str
    act: str = "scenario (not law)"


class Extend(_Strict):
    kind: Literal["extend"]
    instrument: str
    to: list[str] = Field(min_length=1)
    replace_own: bool = False  # drop the binding instruments of each new place (one rulebook instead of many)


class Remove(_Strict):
    kind: Literal["remove"]
    instruments: list[str] = Field(default_factory=list)
    within: str | None = None  # every instrument whose place lies within this one ...
    keep: list[str] = Field(default_factory=list)  # ... except those of these places


Change = Annotated[ParameterChange | MoveDate | NewVersion | Extend | Remove, Field(discriminator="kind")]


class ScenarioMeta(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    status: Literal["proposal", "counterfactual", "policy_option"]
    description: str
    sources: list[str] = Field(default_factory=list)


class ScenarioFile(_Strict):
    scenario: ScenarioMeta
    changes: list[Change] = Field(min_length=1)


class Scenario:
    """A validated scenario file and the changed pack it builds."""

    def __init__(self, spec: ScenarioFile, source: str, lines: LineMap, text: bytes):
        self.spec = spec
        self.source = source
        self.lines = lines
        self.digest = hashlib.sha256(text).hexdigest()[:12]

    @property
    def id(self) -> str:
        return self.spec.scenario.id

    @property
    def title(self) -> str:
        return self.spec.scenario.title

    def apply(self, pack: Pack) -> Pack:
        """A new pack with every change made; raises PackError naming file:line for a change that cannot apply."""
        overlay = _Overlay(pack, self)
        for i, change in enumerate(self.spec.changes):
            overlay.apply(change, ("changes", i))
        if overlay.problems:
            raise PackError(overlay.problems)
        return replace(pack, instruments=overlay.instruments, revision=f"{pack.revision}+{self.id}-{self.digest}")


def load_scenario(path: Path) -> Scenario:
    data, lines = load_file(path)
    spec = _validate(ScenarioFile, data, str(path), lines)
    return Scenario(spec, str(path), lines, path.read_bytes())


class _Overlay:
    def __init__(self, pack: Pack, scenario: Scenario):
        self.pack = pack
        self.scenario = scenario
        self.instruments = dict(pack.instruments)
        # Which laws lie within a place: states and cities by the place hierarchy; a union (EU) by its membership,
        # taken on the day the scenario is applied.
        self.today = dt.date.today()
        self.problems: list[Problem] = []

    def problem(self, message: str, path: PathKey, allowed: list[str] | None = None, suggestion: str | None = None):
        line = self.scenario.lines.line(path)
        self.problems.append(Problem(message, self.scenario.source, line, dotted(path), allowed or [], suggestion))

    def instrument(self, instrument_id: str, path: PathKey) -> LoadedInstrument | None:
        found = self.instruments.get(instrument_id)
        if found is None:
            from ..errors import nearest

            self.problem(
                f"unknown instrument '{instrument_id}'", path, suggestion=nearest(instrument_id, self.instruments)
            )
        return found

    def apply(self, change: Change, path: PathKey) -> None:
        handler = {
            "parameter": self._parameter,
            "move_date": self._move_date,
            "version": self._version,
            "extend": self._extend,
            "remove": self._remove,
        }[change.kind]
        handler(change, path)  # type: ignore[operator]

    def _parameter(self, change: ParameterChange, path: PathKey) -> None:
        inst = self.instrument(change.instrument, (*path, "instrument"))
        if inst is None:
            return
        param = inst.parameters.get(change.parameter)
        if param is None:
            self.problem(f"unknown parameter '{change.parameter}'", (*path, "parameter"), list(inst.parameters))
            return
        if (param.type == "date") != isinstance(change.value, dt.date):
            self.problem(f"parameter '{param.id}' takes a {param.type}", (*path, "value"))
            return
        values = [_ended(v, change.valid_from) for v in param.values if v.valid_from < change.valid_from]
        values.append(ParamValue(valid_from=change.valid_from, value=change.value, act=self._act()))
        new_param = updated(param, values=values)
        params = [new_param if p.id == param.id else p for p in inst.meta.parameters]
        self._replace(inst, meta=updated(inst.meta, parameters=params))

    def _move_date(self, change: MoveDate, path: PathKey) -> None:
        inst = self.instrument(change.instrument, (*path, "instrument"))
        if inst is None:
            return
        moved = 0
        rules = {}
        for rid, rule in inst.rules.items():
            versions = []
            for v in rule.versions:
                applies = _swap_dates(v.applies_from, change.date, change.to)
                moved += applies is not v.applies_from
                versions.append(replace(v, applies_from=applies) if applies is not v.applies_from else v)
            rules[rid] = replace(rule, versions=versions)
        if not moved:
            self.problem(f"no rule of '{inst.id}' applies from {change.date}", (*path, "date"))
            return
        self._replace(inst, rules=rules)

    def _version(self, change: NewVersion, path: PathKey) -> None:
        inst = self.instrument(change.instrument, (*path, "instrument"))
        if inst is None:
            return
        rule = inst.rules.get(change.rule)
        if rule is None:
            self.problem(f"unknown rule '{change.rule}'", (*path, "rule"), suggestion=nearest(change.rule, inst.rules))
            return
        scope = Scope(self.pack.vocabulary, {p.id: p.type for p in inst.meta.parameters}, set(inst.rules))
        when = self._expr(change.when, BOOL.kind, scope, (*path, "when"))
        applies = self._applies(change.applies_from, scope, (*path, "applies_from"))
        if when is None or applies is None:
            return
        version = Version(
            valid_from=change.valid_from, act=change.act, applies_from=change.applies_from, when=change.when
        )
        kept = [_ended_version(v, change.valid_from) for v in rule.versions if v.version.valid_from < change.valid_from]
        compiled = CompiledVersion(version, when, applies, self.scenario.lines.line(path))
        self._replace(inst, rules={**inst.rules, rule.id: replace(rule, versions=[*kept, compiled])})

    def _extend(self, change: Extend, path: PathKey) -> None:
        inst = self.instrument(change.instrument, (*path, "instrument"))
        if inst is None:
            return
        home = inst.meta.instrument.jurisdiction
        for j, written in enumerate(change.to):
            code = self.pack.registry.normalise(written)
            if code is None:
                problem = self.pack.registry.unknown(written)
                self.problem(problem.message, (*path, "to", j), problem.allowed, problem.suggestion)
                continue
            if change.replace_own:  # its own binding laws give way; policy and soft law stay
                for other in list(self.instruments.values()):
                    own = other.meta.instrument.jurisdiction
                    binding = other.meta.instrument.binding_force == "binding_law"
                    if binding and own not in ("INTL", home) and self.pack.registry.within(own, code, self.today):
                        del self.instruments[other.id]
            clone = _clone(inst, home, code, self.pack)
            self.instruments[clone.id] = clone

    def _remove(self, change: Remove, path: PathKey) -> None:
        for j, iid in enumerate(change.instruments):
            if self.instrument(iid, (*path, "instruments", j)) is not None:
                del self.instruments[iid]
        if change.within is None:
            if not change.instruments:
                self.problem("remove names instruments or a place (within)", path)
            return
        target = self.pack.registry.normalise(change.within)
        if target is None:
            self.problem(self.pack.registry.unknown(change.within).message, (*path, "within"))
            return
        keep = {self.pack.registry.normalise(k) or k for k in change.keep}
        for other in list(self.instruments.values()):
            own = other.meta.instrument.jurisdiction
            if own != "INTL" and own not in keep and self.pack.registry.within(own, target, self.today):
                del self.instruments[other.id]

    def _replace(self, inst: LoadedInstrument, **changes) -> None:
        self.instruments[inst.id] = replace(inst, **changes)

    def _act(self) -> str:
        return f"scenario {self.scenario.id} (not law)"

    def _expr(self, text: str, want: str, scope: Scope, path: PathKey) -> Node | None:
        try:
            node, kind = resolve(parse(text), scope)
        except ExprSyntaxError as exc:
            self.problem(f"syntax error: {exc}", path)
            return None
        except CheckError as exc:
            self.problem(f"{exc} in '{exc.src}'", path, exc.allowed, exc.suggestion)
            return None
        if kind.kind != want:
            self.problem(f"expected a {want} expression, got a {kind}", path)
            return None
        return node

    def _applies(self, text: str, scope: Scope, path: PathKey) -> Node | None:
        try:
            return Lit(dt.date.fromisoformat(text), text)
        except ValueError:
            return self._expr(text, DATE.kind, scope, path)


def _ended(value: ParamValue, day: dt.date) -> ParamValue:
    end = day - dt.timedelta(days=1)
    return value if value.valid_to is not None and value.valid_to <= end else updated(value, valid_to=end)


def _ended_version(compiled: CompiledVersion, day: dt.date) -> CompiledVersion:
    end = day - dt.timedelta(days=1)
    v = compiled.version
    if v.valid_to is not None and v.valid_to <= end:
        return compiled
    return replace(compiled, version=updated(v, valid_to=end))


def _rewrite(node: Node, leaf) -> Node:
    """The tree with `leaf(node)` applied bottom-up to leaves and calls (a new tree; the old one is untouched)."""
    if isinstance(node, And | Or):
        return type(node)(tuple(_rewrite(i, leaf) for i in node.items), node.src)
    if isinstance(node, Not):
        return Not(_rewrite(node.item, leaf), node.src)
    if isinstance(node, Cmp):
        return Cmp(node.op, _rewrite(node.left, leaf), _rewrite(node.right, leaf), node.src)
    if isinstance(node, In):
        return In(_rewrite(node.item, leaf), _rewrite(node.collection, leaf), node.src)
    if isinstance(node, If):
        return If(_rewrite(node.cond, leaf), _rewrite(node.then, leaf), _rewrite(node.other, leaf), node.src)
    return leaf(node)


def _swap_dates(node: Node, old: dt.date, new: dt.date) -> Node:
    def leaf(n: Node) -> Node:
        return Lit(new, n.src) if isinstance(n, Lit) and n.value == old else n

    swapped = _rewrite(node, leaf)
    return node if swapped == node else swapped


def _reanchor(node: Node, home: str, code: str, pack: Pack) -> Node:
    """Territorial connecting factors of `home` re-pointed at `code` (EU placement -> placement in code)."""
    derived = {f.id: f.derive_from for f in pack.vocabulary.facts.values() if f.derive_within == home}

    def leaf(n: Node) -> Node:
        if isinstance(n, Var) and n.name in derived:
            return Call("within", (Var(derived[n.name], n.src), Lit(code, code)), n.src)
        if isinstance(n, Call) and n.fn == "within" and isinstance(n.args[1], Lit) and n.args[1].value == home:
            return Call("within", (n.args[0], Lit(code, code)), n.src)
        return n

    return _rewrite(node, leaf)


def _clone(inst: LoadedInstrument, home: str, code: str, pack: Pack) -> LoadedInstrument:
    new_id = f"{inst.id}{CLONE_MARK}{code}"
    meta = updated(
        inst.meta.instrument,
        id=new_id,
        jurisdiction=code,
        short_title=f"{inst.meta.instrument.short_title} (extended to {code})",
    )
    rules: dict[str, LoadedRule] = {}
    for rid, rule in inst.rules.items():
        versions = [
            replace(
                v, when=_reanchor(v.when, home, code, pack), applies_from=_reanchor(v.applies_from, home, code, pack)
            )
            for v in rule.versions
        ]
        rules[rid] = replace(rule, versions=versions, instrument_id=new_id, exceptions=list(rule.exceptions))
    return replace(inst, meta=updated(inst.meta, instrument=meta), rules=rules)
