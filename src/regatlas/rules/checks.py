"""Checks across a pack's records that no type can express: canonical place codes, known principles and themes,
non-overlapping versions, test cases whose facts fit the vocabulary, exceptions that may defeat what they name,
no cycles between rules. Each problem is collected with its file:line, never raised alone.

Part of the instrument builder (rules/build.py), which holds the state these methods share.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from ..errors import Problem, RegatlasError, nearest
from ..expr.ir import rules_in
from ..facts.profile import profile_from_data
from ..facts.vocabulary import Vocabulary
from ..yamlio import LineMap, PathKey, dotted
from .model import InstrumentFile, Rule
from .pack import LoadedRule
from .themes import Vocabularies


class PackChecks:
    folder: Path
    vocabulary: Vocabulary
    vocabularies: Vocabularies
    problems: list[Problem]
    broken: set[str]  # ids of rules that failed validation (reported once, at their place)

    def _check_places(self, meta: InstrumentFile, source: str, lines: LineMap) -> None:
        """Jurisdiction and party codes must be canonical registry codes (DE, US-CA, EU, INTL)."""
        registry = self.vocabulary.registry
        if registry is None:
            return
        found = [(meta.instrument.jurisdiction, ("instrument", "jurisdiction"))]
        found += [
            (party.party, ("instrument", "parties", i, "party"))
            for i, party in enumerate(meta.instrument.parties)
            if party.kind != "company"
        ]
        for code, path in found:
            if code not in registry.places:
                problem = registry.unknown(code, file=source, line=lines.line(path), path=dotted(path))
                canonical = registry.normalise(code)
                if canonical:
                    problem.message = f"write the canonical code '{canonical}' instead of '{code}'"
                self.problems.append(problem)

    def _check_principles(self, meta: InstrumentFile, source: str, lines: LineMap) -> None:
        known = self.vocabularies.principles
        for i, pid in enumerate(meta.instrument.principle_ids):
            if pid not in known:
                path = ("instrument", "principle_ids", i)
                self.problems.append(
                    Problem(
                        f"unknown principle '{pid}'",
                        source,
                        lines.line(path),
                        dotted(path),
                        list(known),
                        nearest(pid, known),
                    )
                )

    def _check_themes(self, rule: Rule, source: str, lines: LineMap, path: PathKey) -> None:
        """Theme ids and spec quantities must come from packs/themes/themes.yaml, with the right form."""
        themes, quantities = self.vocabularies.themes, self.vocabularies.quantities
        for i, theme in enumerate(rule.themes):
            if theme not in themes:
                tpath = (*path, "themes", i)
                self.problems.append(
                    Problem(
                        f"unknown theme '{theme}'",
                        source,
                        lines.line(tpath),
                        dotted(tpath),
                        list(themes),
                        nearest(theme, themes),
                    )
                )
        for i, spec in enumerate(rule.specs):
            spath = (*path, "specs", i)
            quantity = quantities.get(spec.quantity)
            if quantity is None:
                self.problems.append(
                    Problem(
                        f"unknown quantity '{spec.quantity}'",
                        source,
                        lines.line(spath),
                        dotted(spath),
                        list(quantities),
                        nearest(spec.quantity, quantities),
                    )
                )
                continue
            form_ok = {
                "bound": spec.value is None and (spec.min is not None or spec.max is not None),
                "flag": isinstance(spec.value, bool) and spec.min is None and spec.max is None,
                "choice": isinstance(spec.value, str) and spec.min is None and spec.max is None,
            }[quantity.kind]
            if not form_ok:
                expected = {"bound": "min and/or max", "flag": "value: true or false", "choice": "value: a name"}
                self.problems.append(
                    Problem(
                        f"'{spec.quantity}' is a {quantity.kind}: give {expected[quantity.kind]}",
                        source,
                        lines.line(spath),
                        dotted(spath),
                    )
                )
        if rule.specs and not rule.themes:
            self.problems.append(Problem("specs need at least one theme", source, lines.line(path), dotted(path)))

    def _check_overlaps(self, versions: list, source: str, lines: LineMap, path: PathKey) -> None:
        ordered = sorted(enumerate(versions), key=lambda iv: iv[1].valid_from)
        for (_, earlier), (j, later) in itertools.pairwise(ordered):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                vpath = (*path, "versions", j)
                self.problems.append(
                    Problem(
                        f"versions overlap: one valid from {earlier.valid_from} "
                        f"{'with no end' if earlier.valid_to is None else 'to ' + str(earlier.valid_to)}, "
                        f"another from {later.valid_from}",
                        source,
                        lines.line(vpath),
                        dotted(vpath),
                    )
                )

    def _check_tests(self, rule: Rule, source: str, lines: LineMap, path: PathKey) -> None:
        if not rule.tests:
            self.problems.append(Problem(f"rule '{rule.id}' has no test case", source, lines.line(path), dotted(path)))
        for i, case in enumerate(rule.tests):
            tpath = (*path, "tests", i, "facts")
            try:
                profile_from_data(case.facts, self.vocabulary, source, _PrefixedLineMap(lines, tpath))
            except RegatlasError as exc:
                for p in exc.problems:
                    p.path = f"{dotted(tpath)}.{p.path}" if p.path else dotted(tpath)
                self.problems.extend(exc.problems)
            for fact in case.missing or []:
                if fact not in self.vocabulary:
                    self.problems.append(
                        Problem(f"unknown fact '{fact}' in missing", source, lines.line(tpath), dotted(tpath))
                    )

    def _check_parameters(self, meta: InstrumentFile, source: str, lines: LineMap) -> None:
        for i, param in enumerate(meta.parameters):
            self._check_overlaps(param.values, source, lines, ("parameters", i))

    def _link_exceptions(self, rules: dict[str, LoadedRule]) -> None:
        """Record on each rule the exceptions that defeat it, whichever side declared the link."""
        links = [(r.id, target, r, "overrides") for r in rules.values() for target in r.rule.overrides]
        links += [(exc, r.id, r, "exceptions") for r in rules.values() for exc in r.rule.exceptions]
        for exception_id, target_id, owner, field_name in links:
            where = f"{owner.id}.{field_name}"
            if exception_id in self.broken or target_id in self.broken:
                continue  # the broken rule's own problem is the cause; a link to it is no second error
            unknown = next((rid for rid in (exception_id, target_id) if rid not in rules), None)
            if unknown:
                self.problems.append(
                    Problem(
                        f"{field_name} names unknown rule '{unknown}'",
                        owner.file,
                        owner.line,
                        where,
                        suggestion=nearest(unknown, rules),
                    )
                )
                continue
            exception, target = rules[exception_id], rules[target_id]
            if exception.rule.kind not in ("exemption", "permission"):
                self.problems.append(
                    Problem(
                        f"'{exception_id}' is a {exception.rule.kind} rule: only exemption and "
                        "permission rules may be exceptions",
                        owner.file,
                        owner.line,
                        where,
                    )
                )
            if exception.rule.priority <= target.rule.priority:
                self.problems.append(
                    Problem(
                        f"an exception needs a higher priority than the rule it overrides ('{exception_id}' has "
                        f"{exception.rule.priority}, '{target_id}' has {target.rule.priority})",
                        owner.file,
                        owner.line,
                        f"{exception_id}.priority",
                    )
                )
            if exception_id not in target.exceptions:
                target.exceptions.append(exception_id)

    def _check_cycles(self, rules: dict[str, LoadedRule]) -> None:
        deps = {
            rid: set().union(*(rules_in(v.when) | rules_in(v.applies_from) for v in r.versions), r.exceptions)
            for rid, r in rules.items()
        }
        state: dict[str, int] = {}

        def visit(rid: str, trail: list[str]) -> None:
            if state.get(rid) == 2:
                return
            if state.get(rid) == 1:
                cycle = " -> ".join([*trail[trail.index(rid) :], rid])
                self.problems.append(
                    Problem(f"rules depend on each other in a cycle: {cycle}", rules[rid].file, rules[rid].line)
                )
                return
            state[rid] = 1
            for dep in sorted(deps[rid] & deps.keys()):  # a broken rule is reported at its place, not here
                visit(dep, [*trail, rid])
            state[rid] = 2

        for rid in sorted(rules):
            visit(rid, [])


class _PrefixedLineMap(LineMap):
    """A view of a line map whose paths are relative to `prefix` (so nested validators can reuse it)."""

    def __init__(self, lines: LineMap, prefix: PathKey):
        super().__init__()
        self.lines = lines
        self.prefix = prefix

    def line(self, path: PathKey) -> int | None:
        return self.lines.line((*self.prefix, *path))
