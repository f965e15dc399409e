"""Build a pack from its files: read each instrument, validate it, compile its conditions, link exceptions,
and report every problem at once with file:line. Only a pack that is not in the cache comes here.

A pack is a folder:  vocabulary/*.yaml (facts)  and one folder per instrument holding
instrument.yaml (instrument, parameters, penalties) and rules/*.yaml (rules).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PackError, Problem
from ..expr.check import Scope
from ..facts.vocabulary import Vocabulary, load_vocabulary
from ..jurisdictions.registry import load_registry
from ..yamlio import load_file
from .checks import PackChecks
from .conditions import ConditionCompiling
from .model import InstrumentFile
from .pack import LoadedInstrument, Pack
from .reading import RuleReading
from .themes import Vocabularies, load_vocabularies
from .validation import validate


class _InstrumentLoader(RuleReading, ConditionCompiling, PackChecks):
    """Builds one instrument, collecting problems instead of stopping at the first: reads its files
    (rules/reading.py), compiles its conditions (rules/conditions.py), checks it as a whole (rules/checks.py)."""

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
