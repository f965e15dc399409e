"""Conflicts and divergences between the duties of one assessment, classified by compare.pairs (the same
classifier the population engine uses on the whole pack), with both duties attached for citing.

A conflict is a pair no single course of action can satisfy; a divergence is extra work, not impossibility.
The categories are listed in compare/pairs.py and docs/compare.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rules.themes import Vocabularies
from .duties import Duty
from .pairs import NEUTRAL_THEMES, DutyPair, pairs_among

__all__ = ["NEUTRAL_THEMES", "Conflict", "find_conflicts", "find_divergences", "find_pairs"]


@dataclass(frozen=True)
class Conflict:
    """A conflict or a divergence (see `kind`) between two duties that hold, both cited."""

    kind: str  # conflict | divergence
    category: str
    theme: str
    explanation: str
    a: Duty
    b: Duty

    @property
    def pair(self) -> DutyPair:
        return DutyPair(
            self.kind,
            self.category,
            self.theme,
            self.a.key,
            self.b.key,
            self.a.jurisdiction,
            self.b.jurisdiction,
            self.explanation,
        )


def find_pairs(duties: list[Duty], vocab: Vocabularies) -> list[Conflict]:
    """Every conflict and divergence between the duties, conflicts first, in the order of pairs_among."""
    by_key = {d.key: d for d in duties}
    return [
        Conflict(p.kind, p.category, p.theme, p.explanation, by_key[p.a_key], by_key[p.b_key])
        for p in pairs_among(duties, vocab)
    ]


def find_conflicts(duties: list[Duty], vocab: Vocabularies) -> list[Conflict]:
    return [p for p in find_pairs(duties, vocab) if p.kind == "conflict"]


def find_divergences(duties: list[Duty], vocab: Vocabularies) -> list[Conflict]:
    return [p for p in find_pairs(duties, vocab) if p.kind == "divergence"]
