"""Yearly cost of each control theme per AI system (EUR), with its source; users may override any figure.

The defaults are `data/costs.yaml` (docs/costs.md lists every figure and its source). An override file has the
same shape and may name only some themes:

    costs:
      human_oversight: {eur_per_year: 12000, source: "our 2026 budget"}
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, RegatlasError, nearest
from ..yamlio import dotted, load_file

DEFAULTS = Path(__file__).parent / "data" / "costs.yaml"
CURRENCY = "EUR"
_ENTRY_KEYS = ("eur_per_year", "item", "source", "url", "confidence", "reason")


@dataclass(frozen=True)
class CostSource:
    """Where one theme's figure comes from."""

    item: str
    source: str
    url: str | None
    confidence: str  # H, M or L
    reason: str | None
    file: str  # the file that set the figure (defaults or a user's override)

    def describe(self) -> str:
        text = self.source or self.item
        if self.url:
            text += f" <{self.url}>"
        return f"{text} [{self.confidence}]" + (f": {self.reason}" if self.reason else "")


@dataclass
class CostTable:
    """EUR per AI system per year, for each control theme."""

    per_theme: dict[str, float]
    sources: dict[str, CostSource] = field(default_factory=dict)
    currency: str = CURRENCY

    def source(self, theme: str) -> CostSource:
        if theme not in self.sources:
            raise RegatlasError(Problem(f"unknown theme '{theme}'", allowed=sorted(self.per_theme)))
        return self.sources[theme]

    def cost(self, theme: str) -> float:
        return self.per_theme[theme]


def _entries(path: Path, known_themes: set[str] | None) -> tuple[dict[str, tuple[float, CostSource]], str | None]:
    data, lines = load_file(path)
    source = str(path)

    def problem(message: str, key: tuple, allowed: list[str] | None = None) -> Problem:
        return Problem(message, source, lines.line(key), dotted(key) or None, allowed or [])

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RegatlasError(problem("a cost file must be a mapping with a 'costs:' mapping of themes", ()))
    unknown_top = [k for k in data if k not in ("costs", "currency")]
    problems = [problem(f"unknown key '{k}'", (k,), ["costs", "currency"]) for k in unknown_top]
    currency = data.get("currency")
    if currency is not None and currency != CURRENCY:
        problems.append(problem(f"only {CURRENCY} is supported, not {currency!r}", ("currency",), [CURRENCY]))
    costs = data.get("costs", {})
    if not isinstance(costs, dict):
        problems.append(problem("'costs' must map theme ids to {eur_per_year: ...}", ("costs",)))
        costs = {}
    entries: dict[str, tuple[float, CostSource]] = {}
    for theme, raw in costs.items():
        key = ("costs", theme)
        if known_themes is not None and theme not in known_themes:
            suggestion = nearest(theme, known_themes)
            p = problem(f"unknown theme '{theme}'", key, sorted(known_themes))
            p.suggestion = suggestion
            problems.append(p)
            continue
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = {"eur_per_year": raw}
        if not isinstance(raw, dict):
            problems.append(problem("expected {eur_per_year: <number>, source: ...} or a number", key))
            continue
        bad_keys = [k for k in raw if k not in _ENTRY_KEYS]
        problems += [problem(f"unknown key '{k}'", (*key, k), list(_ENTRY_KEYS)) for k in bad_keys]
        value = raw.get("eur_per_year")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(problem(f"eur_per_year must be a number, not {value!r}", (*key, "eur_per_year")))
            continue
        if value < 0:
            problems.append(problem(f"eur_per_year must be at least 0, not {value:g}", (*key, "eur_per_year")))
            continue
        confidence = str(raw.get("confidence", "L"))
        if confidence not in ("H", "M", "L"):
            problems.append(problem(f"bad confidence {confidence!r}", (*key, "confidence"), ["H", "M", "L"]))
            continue
        entries[theme] = (
            float(value),
            CostSource(
                item=str(raw.get("item", "override")),
                source=str(raw.get("source", "")),
                url=raw.get("url"),
                confidence=confidence,
                reason=raw.get("reason"),
                file=source,
            ),
        )
    if problems:
        raise RegatlasError(problems)
    return entries, currency


def _pack_themes() -> set[str]:
    from ..rules.loader import load_pack

    return set(load_pack(cache=True).vocabularies.themes)


def load_costs(override: Path | None = None, themes: Iterable[str] | None = None) -> CostTable:
    """The default cost table, with a user's override file merged over it (a partial override is fine).

    `themes` are the valid theme ids (default: the rule pack's control themes); every one must get a cost.
    """
    known = set(themes) if themes is not None else _pack_themes()
    defaults, _ = _entries(DEFAULTS, None)
    missing = sorted(known - set(defaults))
    if missing:
        raise RegatlasError(Problem(f"no default cost for themes {missing}", str(DEFAULTS), None, "costs"))
    merged = {theme: defaults[theme] for theme in sorted(known)}
    if override is not None:
        merged.update(_entries(override, known)[0])
    return CostTable(
        per_theme={theme: value for theme, (value, _) in merged.items()},
        sources={theme: src for theme, (_, src) in merged.items()},
    )
