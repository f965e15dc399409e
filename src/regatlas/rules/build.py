"""Build a pack from its files: read each instrument, validate it, compile its conditions, link exceptions,
and report every problem at once with file:line. Only a pack that is not in the cache comes here.

A pack is a folder:  vocabulary/*.yaml (facts)  and one folder per instrument holding
instrument.yaml (instrument, parameters, penalties) and rules/*.yaml (rules).
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from pydantic import ValidationError

from ..errors import PackError, Problem, RegatlasError, nearest
from ..expr.check import BOOL, DATE, CheckError, Scope, resolve
from ..expr.ir import Lit, Node, rules_in
from ..expr.parser import ExprSyntaxError, parse
from ..facts.profile import profile_from_data
from ..facts.vocabulary import Vocabulary, load_vocabulary
from ..jurisdictions.registry import load_registry
from ..yamlio import LineMap, PathKey, dotted, load_file
from .model import InstrumentFile, Rule, RulesFile
from .pack import CompiledVersion, LoadedInstrument, LoadedPenalty, LoadedRule, Pack
from .themes import Vocabularies, load_vocabularies
from .validation import adapter, pydantic_problems, validate


class _InstrumentLoader:
    """Builds one instrument, collecting problems instead of stopping at the first."""

    def __init__(self, folder: Path, vocabulary: Vocabulary, vocabularies: Vocabularies):
        self.folder = folder
        self.vocabulary = vocabulary
        self.vocabularies = vocabularies
        self.problems: list[Problem] = []
        self.broken: set[str] = set()  # ids of rules that failed validation (reported once, at their place)

    def load(self) -> LoadedInstrument:
        meta_path = self.folder / "instrument.yaml"
        data, lines = load_file(meta_path)
        meta: InstrumentFile = validate(InstrumentFile, data, str(meta_path), lines)
        self._check_places(meta, str(meta_path), lines)
        self._check_principles(meta, str(meta_path), lines)
        raw_rules = self._read_rules()
        rule_ids = {rule.id for rule, *_ in raw_rules} | self.broken
        scope = Scope(self.vocabulary, {p.id: p.type for p in meta.parameters}, rule_ids)
        self._check_parameters(meta, str(meta_path), lines)
        rules = {rule.id: self._compile_rule(rule, src, ln, path, scope) for rule, src, ln, path in raw_rules}
        penalties = self._compile_penalties(meta, scope, str(meta_path), lines)
        self._link_exceptions(rules)
        self._check_cycles(rules)
        for loaded in rules.values():
            if loaded.rule.penalty and loaded.rule.penalty not in penalties:
                self.problems.append(
                    Problem(
                        f"unknown penalty '{loaded.rule.penalty}'",
                        loaded.file,
                        loaded.line,
                        f"{loaded.id}.penalty",
                        list(penalties),
                    )
                )
        if self.problems:
            raise PackError(self.problems)
        return LoadedInstrument(meta, self.folder, rules, penalties)

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

    def _read_rules(self) -> list[tuple[Rule, str, LineMap, PathKey]]:
        files = sorted((self.folder / "rules").glob("*.yaml"))  # declarations and treaties may have none
        seen: dict[str, str] = {}
        out = []
        for path in files:
            data, lines = load_file(path)
            for i, rule in self._valid_rules(data, str(path), lines):
                where = f"{path}:{lines.line(('rules', i))}"
                if rule.id in seen:
                    self.problems.append(
                        Problem(
                            f"duplicate rule id '{rule.id}' (first at {seen[rule.id]})",
                            str(path),
                            lines.line(("rules", i)),
                        )
                    )
                    continue
                seen[rule.id] = where
                out.append((rule, str(path), lines, ("rules", i)))
        return out

    def _valid_rules(self, data: object, source: str, lines: LineMap) -> list[tuple[int, Rule]]:
        """The rules of one file that pass validation, each checked on its own: one bad rule is reported once,
        at its place, and neither hides its neighbours nor makes their references to it look unknown."""
        try:
            adapter(RulesFile).validate_python({**data, "rules": []} if isinstance(data, dict) else data)
        except ValidationError as exc:
            self.problems.extend(pydantic_problems(exc, source, lines))
            return []
        raw_rules = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(raw_rules, list):
            self.problems.append(Problem("rules must be a list of rules", source, lines.line(("rules",)), "rules"))
            return []
        valid = []
        for i, raw in enumerate(raw_rules):
            try:
                valid.append((i, adapter(Rule).validate_python(raw)))
            except ValidationError as exc:
                self.problems.extend(pydantic_problems(exc, source, lines, ("rules", i)))
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    self.broken.add(raw["id"])  # known to exist: references to it are not a second error
        return valid

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


def build_pack(root: Path, revision: str) -> Pack:
    """Read, validate and compile every file of the pack; raise PackError listing every problem."""
    registry = load_registry(root / "jurisdictions" / "places.yaml")
    vocabularies = load_vocabularies(root / "themes")
    vocabulary = load_vocabulary(root / "vocabulary")
    vocabulary.registry = registry
    instruments: dict[str, LoadedInstrument] = {}
    problems: list[Problem] = []
    for meta_path in sorted(root.glob("*/*/instrument.yaml")):
        try:
            loaded = _InstrumentLoader(meta_path.parent, vocabulary, vocabularies).load()
        except PackError as exc:
            problems.extend(exc.problems)
            continue
        for rule in loaded.rules.values():
            rule.instrument_id = loaded.id
            rule.citation_label = rule.rule.citation.label(loaded.meta.instrument.citation_prefix)
        loaded.registry = registry
        instruments[loaded.id] = loaded
    if problems:
        raise PackError(problems)
    if not instruments:
        raise PackError(Problem("no instruments found (expected <area>/<instrument>/instrument.yaml)", file=str(root)))
    return Pack(root, vocabulary, instruments, revision, registry, vocabularies)
