"""Compare one system across jurisdictions: the theme matrix, common core, controls, conflicts and an index.

Fragmentation index (documented in docs/compare.md): over the distinct (jurisdiction, theme) duty units,

    F = sum of effort(theme) over units whose theme is NOT in the common core
        / sum of effort(theme) over all units

where the common core is the set of themes required in every compared jurisdiction and effort(theme) comes
from packs/themes/themes.yaml. F is 0 when every jurisdiction asks for the same themes, and 1 when no theme is
shared by all; weighting by effort makes a divergent risk-management duty count more than a divergent notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.assess import Assessment
from ..rules.themes import Vocabularies
from .conflicts import Conflict, find_conflicts
from .controls import Control, minimal_controls
from .duties import Duty, duties


@dataclass
class Comparison:
    assessment: Assessment
    duties: list[Duty]
    jurisdictions: list[str]
    themes: list[str]
    matrix: dict[tuple[str, str], list[Duty]] = field(default_factory=dict)
    common_core: list[str] = field(default_factory=list)
    specific: dict[str, list[str]] = field(default_factory=dict)  # jurisdiction -> themes only it requires
    controls: list[Control] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    index: float = 0.0
    units: int = 0


def _index(jurisdictions: list[str], matrix: dict, core: list[str], vocab: Vocabularies) -> tuple[float, int]:
    units = [(j, t) for (j, t), ds in matrix.items() if ds and j in jurisdictions]
    if not units:
        return 0.0, 0
    effort = {t: vocab.themes[t].effort if t in vocab.themes else 1.0 for _, t in units}
    total = sum(effort[t] for _, t in units)
    outside = sum(effort[t] for _, t in units if t not in core)
    return round(outside / total, 4), len(units)


def compare(assessment: Assessment, vocab: Vocabularies, include_unknown: bool = False) -> Comparison:
    found = duties(assessment, include_unknown)
    obligations = [d for d in found if d.kind == "obligation"]
    jurisdictions = sorted({d.jurisdiction for d in obligations}, key=lambda j: (j != "EU", j))
    themes = sorted({t for d in obligations for t in d.themes})
    matrix = {
        (j, t): [d for d in obligations if d.jurisdiction == j and t in d.themes] for j in jurisdictions for t in themes
    }
    core = [t for t in themes if len(jurisdictions) > 1 and all(matrix[(j, t)] for j in jurisdictions)]
    specific = {
        j: [t for t in themes if matrix[(j, t)] and sum(1 for k in jurisdictions if matrix[(k, t)]) == 1]
        for j in jurisdictions
    }
    index, units = _index(jurisdictions, matrix, core, vocab)
    return Comparison(
        assessment=assessment,
        duties=found,
        jurisdictions=jurisdictions,
        themes=themes,
        matrix=matrix,
        common_core=core,
        specific={j: ts for j, ts in specific.items() if ts},
        controls=minimal_controls(found, vocab),
        conflicts=find_conflicts(found, vocab),
        index=index,
        units=units,
    )
