"""Compare one system across jurisdictions: the theme matrix, common core, controls, conflicts, divergences and an
index.

The comparison runs over the jurisdictions that bind the system: those with at least one obligation among the
duties compared (the obligations that hold; with --include-unknown, also those still unknown). A place where no
obligation holds does not take part, so it cannot empty the common core of the others.

Fragmentation index (docs/compare.md), over the distinct (jurisdiction, theme) duty units of those n jurisdictions:

    shared(t) = number of jurisdictions requiring theme t          ("shared by k of n")
    core      = {t : shared(t) = n}
    F         = sum of effort(t) over units (j, t) with t not in core
                / sum of effort(t) over all units (j, t)

with effort(t) from packs/themes/themes.yaml (1 when a theme has none). F is 0 when every jurisdiction asks for
the same themes (and always with one jurisdiction: everything it asks is common), and 1 when no theme is shared
by all; weighting by effort makes a divergent risk-management duty count more than a divergent notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.assess import Assessment
from ..rules.themes import Vocabularies
from .conflicts import Conflict, find_pairs
from .controls import Control, minimal_controls
from .duties import Duty, duties


@dataclass(frozen=True)
class IndexResult:
    index: float  # effort-weighted share of units outside the core, rounded to 4 places
    core: list[str]  # themes every jurisdiction requires, sorted
    shared: dict[str, int]  # theme -> number of jurisdictions requiring it
    jurisdictions: int  # n: jurisdictions with at least one theme
    units: int  # distinct (jurisdiction, theme) pairs
    outside_units: int  # units whose theme is not in the core


def fragmentation_index(units: dict[str, set[str]], effort: dict[str, float]) -> IndexResult:
    """The effort-weighted fragmentation index of the module docstring.

    units: jurisdiction -> the themes it requires (a jurisdiction with none is ignored); effort: theme -> weight
    (1.0 for a theme missing from it).
    """
    binding = {j: set(ts) for j, ts in units.items() if ts}
    n = len(binding)
    shared: dict[str, int] = {}
    for themes in binding.values():
        for t in themes:
            shared[t] = shared.get(t, 0) + 1
    shared = dict(sorted(shared.items()))
    core = [t for t, k in shared.items() if k == n]
    pairs = [(j, t) for j, ts in binding.items() for t in ts]
    total = sum(effort.get(t, 1.0) for _, t in pairs)
    outside = [t for _, t in pairs if t not in core]
    index = round(sum(effort.get(t, 1.0) for t in outside) / total, 4) if total else 0.0
    return IndexResult(index, core, shared, n, len(pairs), len(outside))


@dataclass
class Comparison:
    assessment: Assessment
    duties: list[Duty]
    jurisdictions: list[str]  # the binding jurisdictions, EU first
    themes: list[str]
    matrix: dict[tuple[str, str], list[Duty]] = field(default_factory=dict)
    common_core: list[str] = field(default_factory=list)
    shared: dict[str, int] = field(default_factory=dict)  # theme -> how many of the jurisdictions require it
    specific: dict[str, list[str]] = field(default_factory=dict)  # jurisdiction -> themes only it requires
    controls: list[Control] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # kind == "conflict": no single practice meets both
    divergences: list[Conflict] = field(default_factory=list)  # kind == "divergence": extra work, not impossible
    index: float = 0.0
    units: int = 0
    outside_units: int = 0

    @property
    def pairs(self) -> list[Conflict]:
        """Conflicts then divergences, in the canonical order of compare.pairs."""
        return self.conflicts + self.divergences


def effort_of(vocab: Vocabularies) -> dict[str, float]:
    return {t.id: t.effort for t in vocab.themes.values()}


def compare(assessment: Assessment, vocab: Vocabularies, include_unknown: bool = False) -> Comparison:
    found = duties(assessment, include_unknown)
    obligations = [d for d in found if d.kind == "obligation"]
    jurisdictions = sorted({d.jurisdiction for d in obligations}, key=lambda j: (j != "EU", j))
    themes = sorted({t for d in obligations for t in d.themes})
    matrix = {
        (j, t): [d for d in obligations if d.jurisdiction == j and t in d.themes] for j in jurisdictions for t in themes
    }
    units = {j: {t for t in themes if matrix[(j, t)]} for j in jurisdictions}
    result = fragmentation_index(units, effort_of(vocab))
    specific = {j: [t for t in themes if t in units[j] and result.shared[t] == 1] for j in jurisdictions}
    pairs = find_pairs(found, vocab)
    return Comparison(
        assessment=assessment,
        duties=found,
        jurisdictions=jurisdictions,
        themes=themes,
        matrix=matrix,
        common_core=result.core,
        shared=result.shared,
        # With one jurisdiction every theme is common: nothing is specific to it.
        specific={j: ts for j, ts in specific.items() if ts and len(jurisdictions) > 1},
        controls=minimal_controls(found, vocab),
        conflicts=[p for p in pairs if p.kind == "conflict"],
        divergences=[p for p in pairs if p.kind == "divergence"],
        index=result.index,
        units=result.units,
        outside_units=result.outside_units,
    )
