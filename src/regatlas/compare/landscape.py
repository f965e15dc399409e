"""The world as of a date: who joined which instrument, where each theme is binding, and how instruments align.

Alignment between two instruments is the Jaccard similarity of their principle sets (packs/themes/
principles.yaml): |A ∩ B| / |A ∪ B|, from 0 (nothing in common) to 1 (the same principles). A score says little
when a side names few principles (two instruments naming the same two principles score 1.00), so every score is
shown with |A|, |B| and |A ∩ B|, and one computed from fewer than MIN_PRINCIPLES principles on either side is
flagged as low-evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import combinations

from ..rules.pack import Pack
from ..world.queries import PARTICIPATION_GROUPS, jurisdiction_profile

MAJOR = ["US", "CN", "EU", "GB", "IN", "JP", "KR", "CA", "BR", "FR", "DE"]
MIN_PRINCIPLES = 4  # fewer principles than this on either side: the alignment score is low-evidence
FORCE_RANK = {"binding_law": 3, "executive_policy": 2, "soft_law": 1, "voluntary_commitment": 1, "declaration": 1}


@dataclass
class Landscape:
    as_of: dt.date
    jurisdictions: list[str]
    participation: dict[str, dict[str, dict]]  # instrument -> jurisdiction -> participation row
    instruments: dict[str, str]  # international instrument id -> short title
    theme_force: dict[tuple[str, str], str] = field(default_factory=dict)  # (jurisdiction, theme) -> force
    themes: list[str] = field(default_factory=list)
    aligned: list[str] = field(default_factory=list)  # instruments with principles, in order
    alignment: dict[tuple[str, str], float] = field(default_factory=dict)
    principles: dict[str, frozenset[str]] = field(default_factory=dict)  # instrument -> its principle ids

    def overlap(self, a: str, b: str) -> tuple[int, int, int]:
        """|A|, |B| and |A ∩ B| behind the alignment score of a and b."""
        pa, pb = self.principles[a], self.principles[b]
        return len(pa), len(pb), len(pa & pb)

    def low_evidence(self, a: str, b: str) -> bool:
        """True when either side names fewer than MIN_PRINCIPLES principles."""
        return min(len(self.principles[a]), len(self.principles[b])) < MIN_PRINCIPLES


def jaccard(a: set[str], b: set[str]) -> float:
    return round(len(a & b) / len(a | b), 3) if a | b else 0.0


def _theme_force(pack: Pack, codes: list[str], day: dt.date) -> tuple[dict[tuple[str, str], str], list[str]]:
    """For each place and theme, the strongest force of an instrument in force there with a duty of that theme."""
    out: dict[tuple[str, str], str] = {}
    themes: set[str] = set()
    for code in codes:
        profile = jurisdiction_profile(pack, code, day)
        for row in profile["binding_here"]:
            if row["status"] != "in_force":
                continue
            inst = pack.instruments[row["id"]]
            for rule in inst.rules.values():
                if rule.rule.kind != "obligation" or rule.version_at(day) is None:
                    continue
                for theme in rule.rule.themes:
                    themes.add(theme)
                    force = inst.meta.instrument.binding_force
                    current = out.get((code, theme))
                    if current is None or FORCE_RANK.get(force, 0) > FORCE_RANK.get(current, 0):
                        out[(code, theme)] = force
    return out, sorted(themes)


def landscape(pack: Pack, day: dt.date, codes: list[str] | None = None) -> Landscape:
    codes = codes or MAJOR
    profiles = {c: jurisdiction_profile(pack, c, day) for c in codes}
    participation: dict[str, dict[str, dict]] = {}
    titles: dict[str, str] = {}
    for code, profile in profiles.items():
        # Every group of the profile: joined, declined, voted (abstained or absent), date unknown, not recorded.
        for row in (r for key in PARTICIPATION_GROUPS for r in profile[key]):
            participation.setdefault(row["instrument"], {})[code] = row
            titles[row["instrument"]] = row["title"]
    theme_force, themes = _theme_force(pack, codes, day)
    with_principles = [
        i.id
        for i in pack.instruments.values()
        if i.meta.instrument.principle_ids and i.meta.instrument.status_on(day) not in ("not_yet_adopted",)
    ]
    principles = {i: frozenset(pack.instruments[i].meta.instrument.principle_ids) for i in with_principles}
    alignment = {}
    for a, b in combinations(with_principles, 2):
        alignment[(a, b)] = alignment[(b, a)] = jaccard(principles[a], principles[b])
    for a in with_principles:
        alignment[(a, a)] = 1.0
    return Landscape(day, codes, participation, titles, theme_force, themes, with_principles, alignment, principles)
