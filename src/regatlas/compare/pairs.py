"""Which pairs of duties conflict and which merely diverge, derived from each rule's kind, themes, specs and
instrument jurisdiction (never written by hand, never from a profile).

A **conflict** is a pair no single course of action can satisfy:
- prohibited_vs_required: a ban in one jurisdiction shares with an obligation in another a theme that the
  vocabulary marks `practice: true` (the ban forbids what the duty requires);
- impossible_bounds: two obligations of one theme, a minimum in one jurisdiction above a maximum in another for
  the same quantity (keep logs at least 180 days vs delete them within 30);
- exclusive_choices: two values of a quantity the vocabulary marks `differing_values: exclusive`.

A **divergence** is extra work, not impossibility:
- prohibited_vs_regulated: a ban in one jurisdiction shares a safeguard theme (not a practice) with an obligation
  in another (a ban on discriminatory effect and a bias-audit duty): both can be met;
- prohibited_vs_permitted: a ban in one jurisdiction shares a theme with a permission in another (refraining
  satisfies both; the permitted practice is closed where it is banned);
- different_<what> (the quantity's `divergence` in packs/themes/themes.yaml): two obligations of one theme name
  different values of a cumulative quantity (two recipients, two deadlines one report can meet, two standards
  that can both be followed).

Pairs are only formed across jurisdictions; within one jurisdiction the law is taken as coherent. The population
engine filters `potential_pairs(pack)` by outcome; `compare()` classifies the duties of one assessment with the
same `classify`, so both give the same pairs (tests/test_compare.py checks it on every example).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

from ..rules.model import Spec
from ..rules.pack import Pack
from ..rules.themes import Quantity, Vocabularies

NEUTRAL_THEMES = ("prohibited_use_avoidance",)  # every ban carries it; it names no practice to compare
COMPARED_KINDS = ("obligation", "prohibition", "permission")
CONFLICT_CATEGORIES = ("prohibited_vs_required", "impossible_bounds", "exclusive_choices")
KIND_ORDER = {"conflict": 0, "divergence": 1}


@dataclass(frozen=True)
class DutyPair:
    kind: str  # conflict | divergence
    category: str  # prohibited_vs_required, impossible_bounds, exclusive_choices, prohibited_vs_*, different_*
    theme: str
    a_key: str  # instrument:rule
    b_key: str
    a_jurisdiction: str
    b_jurisdiction: str
    explanation: str

    def sort_key(self) -> tuple:
        return (KIND_ORDER[self.kind], self.category, self.theme, self.a_key, self.b_key)


class Side(Protocol):
    """What the classifier reads of a duty: a compare.duties.Duty or a RuleSide built from the pack."""

    key: str
    jurisdiction: str
    kind: str
    themes: tuple[str, ...]
    specs: tuple[Spec, ...]


@dataclass(frozen=True)
class RuleSide:
    key: str
    jurisdiction: str
    kind: str
    themes: tuple[str, ...]
    specs: tuple[Spec, ...]


def _words(quantity: str) -> str:
    return quantity.replace("_", " ")


def _bound(spec: Spec) -> str:
    parts = []
    if spec.min is not None:
        parts.append(f"at least {spec.min:g}")
    if spec.max is not None:
        parts.append(f"at most {spec.max:g}")
    return " and ".join(parts)


def _ban_pairs(a: Side, b: Side, vocab: Vocabularies) -> Iterable[DutyPair]:
    for ban, other in ((a, b), (b, a)):
        if ban.kind != "prohibition" or other.kind not in ("obligation", "permission"):
            continue
        for theme in sorted((set(ban.themes) & set(other.themes)) - set(NEUTRAL_THEMES)):
            words = _words(theme)
            if other.kind == "permission":
                kind, category = "divergence", "prohibited_vs_permitted"
                why = (
                    f"{ban.jurisdiction} prohibits what {other.jurisdiction} permits ({words}): refraining "
                    f"satisfies both, but the practice allowed in {other.jurisdiction} is closed in {ban.jurisdiction}"
                )
            elif theme in vocab.themes and vocab.themes[theme].practice:
                kind, category = "conflict", "prohibited_vs_required"
                why = (
                    f"{ban.jurisdiction} prohibits what {other.jurisdiction} requires ({words}): "
                    "no single course of action satisfies both"
                )
            else:
                kind, category = "divergence", "prohibited_vs_regulated"
                why = (
                    f"{ban.jurisdiction} bans a use that {other.jurisdiction} regulates under the same safeguard "
                    f"({words}): refraining from the banned use and performing the duty can both be done"
                )
            yield DutyPair(kind, category, theme, ban.key, other.key, ban.jurisdiction, other.jurisdiction, why)


def _bound_pairs(a: Side, b: Side, sa: Spec, sb: Spec, q: Quantity, shared: list[str]) -> Iterable[DutyPair]:
    for low, high, dl, dh in ((sa, sb, a, b), (sb, sa, b, a)):
        if low.min is not None and high.max is not None and low.min > high.max:
            why = (
                f"{_words(q.id)}: at least {low.min:g} in {dl.jurisdiction} but at most {high.max:g} in "
                f"{dh.jurisdiction}: no single practice satisfies both"
            )
            for theme in shared:
                yield DutyPair(
                    "conflict", "impossible_bounds", theme, dl.key, dh.key, dl.jurisdiction, dh.jurisdiction, why
                )
            return
    if (sa.min, sa.max) == (sb.min, sb.max):
        return
    lows = [x for x in (sa.min, sb.min) if x is not None]
    highs = [x for x in (sa.max, sb.max) if x is not None]
    strictest = " and ".join(
        ([f"at least {max(lows):g}"] if lows else []) + ([f"at most {min(highs):g}"] if highs else [])
    )
    why = f"{_words(q.id)}: {_bound(sa)} ({a.jurisdiction}) vs {_bound(sb)} ({b.jurisdiction}): {strictest} meets both"
    for theme in shared:
        yield DutyPair("divergence", q.divergence_category, theme, a.key, b.key, a.jurisdiction, b.jurisdiction, why)


HOW_BOTH = {
    "different_recipient": "the report or filing can go to each",
    "different_standard": "both can be followed side by side",
}


def _value_pairs(a: Side, b: Side, sa: Spec, sb: Spec, q: Quantity, shared: list[str]) -> Iterable[DutyPair]:
    if sa.value == sb.value:
        return
    if q.kind == "flag":
        need, forbid = (a, b) if sa.value is True else (b, a)
        what = f"{_words(q.id)}: required in {need.jurisdiction} but excluded in {forbid.jurisdiction}"
    else:
        what = f"{_words(q.id)}: {sa.value} ({a.jurisdiction}) vs {sb.value} ({b.jurisdiction})"
    if q.differing_values == "exclusive":
        kind, category = "conflict", "exclusive_choices"
        why = f"{what}: the vocabulary marks these values exclusive, so no single implementation serves both"
    else:
        kind, category = "divergence", q.divergence_category
        why = f"{what}: {HOW_BOTH.get(category, 'both can be met, with extra work')}"
    for theme in shared:
        yield DutyPair(kind, category, theme, a.key, b.key, a.jurisdiction, b.jurisdiction, why)


def classify(a: Side, b: Side, vocab: Vocabularies) -> list[DutyPair]:
    """Every way the two duties would conflict or diverge if both held (nothing within one jurisdiction)."""
    if a.jurisdiction == b.jurisdiction:
        return []
    if a.key > b.key:
        a, b = b, a
    out = list(_ban_pairs(a, b, vocab))
    if a.kind != "obligation" or b.kind != "obligation":
        return out
    # Specs are compared only within a shared theme: the same quantity under one theme concerns the same records,
    # report or label (keeping technical documentation for ten years does not contradict deleting biometric data
    # within three).
    shared = sorted(set(a.themes) & set(b.themes))
    if not shared:
        return out
    for sa in a.specs:
        q = vocab.quantities.get(sa.quantity)
        if q is None:
            continue
        for sb in b.specs:
            if sb.quantity != sa.quantity:
                continue
            if q.kind == "bound":
                out += _bound_pairs(a, b, sa, sb, q, shared)
            else:
                out += _value_pairs(a, b, sa, sb, q, shared)
    return out


def pairs_among(sides: Sequence[Side], vocab: Vocabularies) -> list[DutyPair]:
    """All conflicts and divergences between the given duties, one per (category, theme, pair of rules), in a
    canonical order (conflicts first, then by category, theme and keys)."""
    ordered = sorted((s for s in sides if s.kind in COMPARED_KINDS), key=lambda s: s.key)
    unique: dict[tuple, DutyPair] = {}
    for a, b in combinations(ordered, 2):
        for p in classify(a, b, vocab):
            unique.setdefault((p.category, p.theme, *sorted((p.a_key, p.b_key))), p)
    return sorted(unique.values(), key=DutyPair.sort_key)


def rule_sides(pack: Pack) -> list[RuleSide]:
    return [
        RuleSide(
            r.key,
            pack.instruments[r.instrument_id].meta.instrument.jurisdiction,
            r.rule.kind,
            tuple(r.rule.themes),
            tuple(r.rule.specs),
        )
        for r in pack.all_rules()
        if r.rule.kind in COMPARED_KINDS
    ]


def potential_pairs(pack: Pack) -> list[DutyPair]:
    """Every pair of rules of the pack that would be a conflict or a divergence if both findings were "yes"."""
    return pairs_among(rule_sides(pack), pack.vocabularies)
