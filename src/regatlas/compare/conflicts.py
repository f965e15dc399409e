"""Conflicts and tensions, derived from the rules' themes and specs (never written by hand as pairs).

Three kinds:
- prohibited_vs_required: one jurisdiction bans (a prohibition that holds) what another requires or permits
  (an obligation or permission that holds) under the same theme;
- incompatible_specifications: duties of one theme name different values of a choice (two label standards);
- impossible_together: a minimum in one place exceeds a maximum in another for the same quantity (keep at
  least 180 days vs delete within 30), so one practice cannot satisfy both for the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from ..rules.themes import Vocabularies
from .duties import Duty

NEUTRAL_THEMES = ("prohibited_use_avoidance",)  # every ban carries it; it names no practice to compare


@dataclass
class Conflict:
    kind: str
    theme: str
    explanation: str
    a: Duty
    b: Duty


def _prohibited_vs_required(duties: list[Duty]) -> list[Conflict]:
    out = []
    bans = [d for d in duties if d.kind == "prohibition" and d.outcome == "yes"]
    musts = [d for d in duties if d.kind in ("obligation", "permission") and d.outcome == "yes"]
    for ban in bans:
        for must in musts:
            if ban.jurisdiction == must.jurisdiction:
                continue
            for theme in sorted((set(ban.themes) & set(must.themes)) - set(NEUTRAL_THEMES)):
                verb = "requires" if must.kind == "obligation" else "permits"
                out.append(
                    Conflict(
                        "prohibited_vs_required",
                        theme,
                        f"{ban.jurisdiction} prohibits what {must.jurisdiction} {verb} ({theme})",
                        ban,
                        must,
                    )
                )
    return out


def _incompatible_choices(duties: list[Duty], vocab: Vocabularies) -> list[Conflict]:
    out = []
    for a, b in combinations([d for d in duties if d.kind == "obligation"], 2):
        if a.jurisdiction == b.jurisdiction:
            continue
        for theme in sorted(set(a.themes) & set(b.themes)):
            for sa in a.specs:
                quantity = vocab.quantities.get(sa.quantity)
                if quantity is None or quantity.kind != "choice":
                    continue
                for sb in b.specs:
                    if sb.quantity == sa.quantity and sb.value != sa.value:
                        out.append(
                            Conflict(
                                "incompatible_specifications",
                                theme,
                                f"{sa.quantity.replace('_', ' ')}: {sa.value} ({a.jurisdiction}) vs "
                                f"{sb.value} ({b.jurisdiction}): one implementation cannot serve both",
                                a,
                                b,
                            )
                        )
    return out


def _impossible_bounds(duties: list[Duty]) -> list[Conflict]:
    out = []
    obligations = [d for d in duties if d.kind == "obligation"]
    for a, b in combinations(obligations, 2):
        if a.jurisdiction == b.jurisdiction:
            continue
        for sa in a.specs:
            for sb in b.specs:
                if sa.quantity != sb.quantity:
                    continue
                for low, high, dl, dh in ((sa, sb, a, b), (sb, sa, b, a)):
                    if low.min is not None and high.max is not None and low.min > high.max:
                        theme = next(iter(set(dl.themes) & set(dh.themes)), dl.themes[0] if dl.themes else "")
                        out.append(
                            Conflict(
                                "impossible_together",
                                theme,
                                f"{low.quantity.replace('_', ' ')}: at least {low.min:g} in "
                                f"{dl.jurisdiction} but at most {high.max:g} in {dh.jurisdiction}",
                                dl,
                                dh,
                            )
                        )
    return out


def find_conflicts(duties: list[Duty], vocab: Vocabularies) -> list[Conflict]:
    found = _prohibited_vs_required(duties) + _incompatible_choices(duties, vocab) + _impossible_bounds(duties)
    unique: dict[tuple, Conflict] = {}
    for c in found:
        unique.setdefault((c.kind, c.theme, *sorted((c.a.key, c.b.key))), c)
    return list(unique.values())
