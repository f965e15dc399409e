"""The minimal control set: the fewest controls that discharge every duty, and where one cannot serve two.

Duties of one theme share a control when their specifications can be met at once: numeric bounds combine to
the strictest (the longest minimum, the shortest maximum), required features add up (a visible label and a
machine-readable mark are one labelling control doing both). They cannot share one where a named choice
differs (two labelling standards, two recipients of a report) or where bounds contradict (keep for at least
180 days vs delete within 30): those split into separate controls, and the reason is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.themes import Vocabularies
from .duties import Duty


@dataclass
class Control:
    theme: str
    title: str
    serves: list[Duty]
    bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)  # quantity -> (min, max)
    features: list[str] = field(default_factory=list)  # flags the control must provide
    choices: dict[str, str] = field(default_factory=dict)  # quantity -> the one value this control implements
    split_reason: str | None = None
    note: str | None = None  # e.g. one control that must implement several mechanisms for different places

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({d.jurisdiction for d in self.serves})

    def spec_parts(self) -> list[str]:
        """The combined specification in words: bounds, required features, fixed choices."""
        parts = []
        for q, (lo, hi) in self.bounds.items():
            if lo is not None:
                parts.append(f"{q.replace('_', ' ')} >= {lo:g}")
            if hi is not None:
                parts.append(f"{q.replace('_', ' ')} <= {hi:g}")
        parts += [f.replace("_", " ") for f in self.features]
        return parts + [f"{q.replace('_', ' ')}: {v}" for q, v in self.choices.items()]

    def how(self) -> str:
        """Why the control stands apart, and what it must build to serve several places."""
        return "; ".join(x for x in (self.split_reason, self.note) if x)


def _combine(duties: list[Duty], vocab: Vocabularies) -> tuple[dict, list[str], str | None]:
    lows: dict[str, float] = {}
    highs: dict[str, float] = {}
    features: set[str] = set()
    for duty in duties:
        for spec in duty.specs:
            kind = vocab.quantities[spec.quantity].kind if spec.quantity in vocab.quantities else "bound"
            if kind == "flag" and spec.value is True:
                features.add(spec.quantity)
            if spec.min is not None:
                lows[spec.quantity] = max(lows.get(spec.quantity, spec.min), spec.min)
            if spec.max is not None:
                highs[spec.quantity] = min(highs.get(spec.quantity, spec.max), spec.max)
    bounds = {q: (lows.get(q), highs.get(q)) for q in sorted(lows.keys() | highs.keys())}
    clash = next((q for q, (lo, hi) in bounds.items() if lo is not None and hi is not None and lo > hi), None)
    return bounds, sorted(features), clash


def _choices(duty: Duty, vocab: Vocabularies) -> dict[str, str]:
    return {
        s.quantity: str(s.value)
        for s in duty.specs
        if s.quantity in vocab.quantities and vocab.quantities[s.quantity].kind == "choice" and s.value is not None
    }


def _split_by_choice(theme_duties: list[Duty], vocab: Vocabularies) -> dict[tuple, list[Duty]]:
    """Group duties so that no group needs two values of the same choice; duties fixing none join the first."""
    groups: list[tuple[dict[str, str], list[Duty]]] = []
    free: list[Duty] = []
    for duty in theme_duties:
        wanted = _choices(duty, vocab)
        if not wanted:
            free.append(duty)
            continue
        for fixed, members in groups:
            if all(fixed.get(q, v) == v for q, v in wanted.items()):
                fixed.update(wanted)
                members.append(duty)
                break
        else:
            groups.append((dict(wanted), [duty]))
    if not groups:
        return {(): free}
    groups[0][1].extend(free)
    return {tuple(sorted(fixed.items())): members for fixed, members in groups}


def _mechanisms(members: list[Duty], features: list[str]) -> str | None:
    """Where places ask for different features (a visible label here, a machine-readable mark there), one
    control can serve them only by building each mechanism: say which place needs which."""
    if len(features) < 2:
        return None
    needs = {
        f: sorted({d.jurisdiction for d in members if any(s.quantity == f and s.value is True for s in d.specs)})
        for f in features
    }
    if len({tuple(v) for v in needs.values()}) == 1:
        return None
    return "several mechanisms: " + "; ".join(f"{f.replace('_', ' ')} ({', '.join(js)})" for f, js in needs.items())


def minimal_controls(all_duties: list[Duty], vocab: Vocabularies) -> list[Control]:
    obligations = [d for d in all_duties if d.kind == "obligation"]
    controls: list[Control] = []
    for theme in sorted({t for d in obligations for t in d.themes}):
        theme_duties = [d for d in obligations if theme in d.themes]
        title = vocab.themes[theme].title if theme in vocab.themes else theme
        groups = _split_by_choice(theme_duties, vocab)
        reason = None
        if len(groups) > 1:
            values: dict[str, set[str]] = {}
            for key in groups:
                for q, v in key:
                    values.setdefault(q, set()).add(v)
            differing = sorted(q for q, vs in values.items() if len(vs) > 1)
            reason = "different " + ", ".join(q.replace("_", " ") for q in differing) + " required"
        for key, members in groups.items():
            bounds, features, clash = _combine(members, vocab)
            if clash is None:
                controls.append(
                    Control(theme, title, members, bounds, features, dict(key), reason, _mechanisms(members, features))
                )
                continue
            # Bounds contradict: a control for the duties with a minimum, another for those with a maximum.
            with_min = [d for d in members if any(s.quantity == clash and s.min is not None for s in d.specs)]
            rest = [d for d in members if d not in with_min]
            for part in (with_min, rest):
                b, f, _ = _combine(part, vocab)
                controls.append(
                    Control(theme, title, part, b, f, dict(key), f"contradictory {clash.replace('_', ' ')}")
                )
    return controls
