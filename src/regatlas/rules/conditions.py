"""Compiling a rule's conditions and dates (and the penalties' conditions) from the expression language into
the IR the engines run, type-checked against the vocabulary; a bad condition is a problem at its file:line.

Part of the instrument builder (rules/build.py), which holds the state these methods share.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Problem
from ..expr.check import BOOL, DATE, CheckError, Scope, resolve
from ..expr.ir import Lit, Node
from ..expr.parser import ExprSyntaxError, parse
from ..facts.vocabulary import Vocabulary
from ..yamlio import LineMap, PathKey, dotted
from .model import InstrumentFile, Rule
from .pack import CompiledVersion, LoadedPenalty, LoadedRule
from .themes import Vocabularies


class ConditionCompiling:
    folder: Path
    vocabulary: Vocabulary
    vocabularies: Vocabularies
    problems: list[Problem]
    broken: set[str]  # ids of rules that failed validation (reported once, at their place)

    def _expr(self, text: str, want: str, scope: Scope, source: str, lines: LineMap, path: PathKey) -> Node | None:
        line = lines.line(path)
        try:
            node, kind = resolve(parse(text), scope)
        except ExprSyntaxError as exc:
            snippet = f"{text[: exc.pos]}⟨here⟩{text[exc.pos :]}"
            self.problems.append(Problem(f"syntax error: {exc} in: {snippet}", source, line, dotted(path)))
            return None
        except CheckError as exc:
            self.problems.append(
                Problem(f"{exc} in '{exc.src}'", source, line, dotted(path), exc.allowed, exc.suggestion)
            )
            return None
        if kind.kind != want:
            self.problems.append(Problem(f"expected a {want} expression, got a {kind}", source, line, dotted(path)))
            return None
        return node

    def _compile_rule(self, rule: Rule, source: str, lines: LineMap, path: PathKey, scope: Scope) -> LoadedRule:
        versions: list[CompiledVersion] = []
        for i, version in enumerate(rule.versions):
            vpath = (*path, "versions", i)
            when = self._expr(version.when, BOOL.kind, scope, source, lines, (*vpath, "when"))
            applies = self._applies_from(version.applies_from, scope, source, lines, (*vpath, "applies_from"))
            if version.valid_to and version.valid_to < version.valid_from:
                self.problems.append(Problem("valid_to is before valid_from", source, lines.line(vpath), dotted(vpath)))
            if when is not None and applies is not None:
                versions.append(CompiledVersion(version, when, applies, lines.line(vpath)))
        self._check_overlaps(list(rule.versions), source, lines, path)
        loaded = LoadedRule(rule, "", versions, source, lines.line(path))
        loaded.test_lines = [lines.line((*path, "tests", i)) for i in range(len(rule.tests))]
        self._check_tests(rule, source, lines, path)
        self._check_themes(rule, source, lines, path)
        return loaded

    def _applies_from(self, text: str, scope: Scope, source: str, lines: LineMap, path: PathKey) -> Node | None:
        try:
            return Lit(dt.date.fromisoformat(text), text)
        except ValueError:
            return self._expr(text, DATE.kind, scope, source, lines, path)

    def _compile_penalties(
        self, meta: InstrumentFile, scope: Scope, source: str, lines: LineMap
    ) -> dict[str, LoadedPenalty]:
        out = {}
        for i, penalty in enumerate(meta.penalties):
            conditions: dict[int, Node | None] = {}
            for j, version in enumerate(penalty.versions):
                vpath = ("penalties", i, "versions", j, "lower_when")
                conditions[j] = (
                    self._expr(version.lower_when, "bool", scope, source, lines, vpath) if version.lower_when else None
                )
            self._check_overlaps(penalty.versions, source, lines, ("penalties", i))
            out[penalty.id] = LoadedPenalty(penalty, conditions)
        return out
