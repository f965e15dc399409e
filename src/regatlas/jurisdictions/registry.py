"""The jurisdiction registry: every code a profile or a pack may name, and what lies within what.

Countries and subdivisions come from ISO 3166-1 and 3166-2 (pycountry); cities, unions and
organisations from packs/jurisdictions/places.yaml. `within(a, b, on)` answers whether a is b, lies
inside b (a city in its state, a state in its country), or is a member of union b on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PackError, Problem, RegatlasError, nearest
from ..yamlio import load_file

# Codes people write that ISO 3166-1 reserves for another use: the United Kingdom is GB (UK is only
# "exceptionally reserved"), Greece is GR (EL is the EU's own abbreviation).
COMMON_NON_ISO = {"UK": "GB", "EL": "GR"}


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    kind: str  # country | subdivision | city | union | organisation
    parent: str | None = None


@dataclass(frozen=True)
class Membership:
    member: str
    start: dt.date
    end: dt.date | None = None

    def on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class Registry:
    places: dict[str, Jurisdiction]
    alpha3: dict[str, str]  # ISO alpha-3 -> alpha-2, so "GBR" is accepted as "GB"
    memberships: dict[str, list[Membership]] = field(default_factory=dict)
    # The first day the registry records union membership for (None: it records none). Before it, "is DE in the
    # EU?" has no recorded answer, so a question about such a day is refused rather than answered "no".
    known_from: dt.date | None = None
    # Assessments ask the same few questions thousands of times; the answers never change for a date.
    _within_cache: dict[tuple[str, str, dt.date], bool] = field(default_factory=dict, repr=False, compare=False)

    def normalise(self, code: str) -> str | None:
        """The canonical code for a code as written (case-insensitive; alpha-3 accepted), or None."""
        upper = code.strip().upper()
        if upper in self.places:
            return upper
        return self.alpha3.get(upper)

    def get(self, code: str) -> Jurisdiction:
        canonical = self.normalise(code)
        if canonical is None:
            raise RegatlasError(self.unknown(code))
        return self.places[canonical]

    def unknown(self, code: str, **where: object) -> Problem:
        top = {j.name.lower(): c for c, j in self.places.items() if j.kind != "subdivision"}
        by_name = nearest(code.lower(), top)
        suggestion = (
            COMMON_NON_ISO.get(code.strip().upper())
            or (top[by_name] if by_name else None)
            or nearest(code.upper(), list(top.values()))
            or nearest(code.upper(), self.places)
        )
        return Problem(
            f"unknown jurisdiction code '{code}'",
            suggestion=suggestion,
            allowed=["ISO 3166-1 alpha-2 or alpha-3 (DE, DEU)", "ISO 3166-2 (US-CA, CA-QC)", "EU", "US-NY-NYC"],
            **where,  # type: ignore[arg-type]
        )

    def ancestors(self, code: str) -> list[str]:
        """The code and every place that contains it, innermost first."""
        chain = [code]
        while (parent := self.places[chain[-1]].parent) is not None:
            chain.append(parent)
        return chain

    def members(self, union: str, day: dt.date) -> list[str]:
        return [m.member for m in self.memberships.get(union, []) if m.on(day)]

    def within(self, code: str, target: str, day: dt.date) -> bool:
        key = (code, target, day)
        cached = self._within_cache.get(key)
        if cached is None:
            self.check_day(day)
            chain = self.ancestors(code)
            cached = target in chain or any(m.member in chain and m.on(day) for m in self.memberships.get(target, []))
            self._within_cache[key] = cached
        return cached

    def check_day(self, day: dt.date) -> None:
        """Refuse a day before the registry's records; the date comes from --as-of."""
        if self.known_from is not None and day < self.known_from:
            raise RegatlasError(
                Problem(
                    f"{day.isoformat()} is before {self.known_from.isoformat()}, the first day the jurisdiction "
                    "registry records which places belong to which unions",
                    path="--as-of",
                    allowed=[f"a date from {self.known_from.isoformat()} to {dt.date.max.isoformat()}"],
                )
            )

    def unions_of(self, code: str, day: dt.date) -> list[str]:
        self.check_day(day)
        chain = self.ancestors(code)
        return [u for u, ms in self.memberships.items() if any(m.member in chain and m.on(day) for m in ms)]

    def name(self, code: str) -> str:
        return self.places[code].name if code in self.places else code


def _iso_places() -> tuple[dict[str, Jurisdiction], dict[str, str]]:
    import pycountry  # imported only when the registry is built (it loads ~5,000 records)

    places: dict[str, Jurisdiction] = {}
    alpha3: dict[str, str] = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        places[country.alpha_2] = Jurisdiction(country.alpha_2, name, "country")
        alpha3[country.alpha_3] = country.alpha_2
    for sub in pycountry.subdivisions:
        parent = sub.parent_code or sub.country_code
        places[sub.code] = Jurisdiction(sub.code, sub.name, "subdivision", parent)
    return places, alpha3


def load_registry(path: Path) -> Registry:
    """ISO places plus the pack's own places and memberships; errors name file:line."""
    places, alpha3 = _iso_places()
    data, lines = load_file(path)
    problems: list[Problem] = []
    for i, raw in enumerate((data or {}).get("places", [])):
        parent = raw.get("parent")
        if parent is not None and parent not in places:
            problems.append(Problem(f"unknown parent '{parent}'", str(path), lines.line(("places", i)), f"places[{i}]"))
            continue
        places[raw["code"]] = Jurisdiction(raw["code"], raw["name"], raw["kind"], parent)
    for code in (data or {}).get("separate_legal_systems", []):
        if code in places:
            places[code] = Jurisdiction(code, places[code].name, places[code].kind, None)
    memberships: dict[str, list[Membership]] = {}
    for union, members in (data or {}).get("memberships", {}).items():
        for i, raw in enumerate(members):
            if raw["member"] not in places:
                problems.append(
                    Problem(
                        f"unknown member '{raw['member']}'",
                        str(path),
                        lines.line(("memberships", union, i)),
                        f"memberships.{union}[{i}]",
                    )
                )
                continue
            end = dt.date.fromisoformat(raw["to"]) if raw.get("to") else None
            memberships.setdefault(union, []).append(Membership(raw["member"], dt.date.fromisoformat(raw["from"]), end))
    if problems:
        raise PackError(problems)
    starts = [m.start for ms in memberships.values() for m in ms]
    return Registry(places, alpha3, memberships, min(starts, default=None))
