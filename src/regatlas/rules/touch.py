"""Which instruments a profile touches, and which bind in a jurisdiction.

An instrument made for jurisdiction J is relevant to a profile when a place the profile names (where the
system is offered, used, its output used, or its operator established) lies within J, or J lies within it
(a system offered "in the US" is offered in California too). A profile that names no place at all
touches every instrument: where it goes is unknown, so every scope stays open.
"""

from __future__ import annotations

import datetime as dt

from ..jurisdictions.registry import Registry
from .pack import LoadedInstrument, Pack

PLACE_FACTS = ("territory.offered_in", "territory.used_in", "territory.output_used_in", "operator.established_in")
# Yes/no facts that, when true, say the profile touches a union even without a list.
UNION_FACTS = {"EU": ("territory.placed_on_eu_market", "territory.used_in_eu", "territory.output_used_in_eu")}


def related(registry: Registry, code: str, jurisdiction: str, day: dt.date) -> bool:
    """Does the place overlap the instrument's jurisdiction (inside it, or containing it)?"""
    return registry.within(code, jurisdiction, day) or registry.within(jurisdiction, code, day)


def places_named(facts: dict) -> set[str] | None:
    """Every place the profile names, or None when it names none (so nothing can be ruled out)."""
    lists = [facts[f] for f in PLACE_FACTS if f in facts]
    if not lists:
        return None
    return set().union(*lists)


def touches(pack: Pack, instrument: LoadedInstrument, facts: dict, day: dt.date) -> bool:
    jurisdiction = instrument.meta.instrument.jurisdiction
    if jurisdiction == "INTL" or not instrument.rules:
        return False  # declarations and treaties bind states, not this system
    places = places_named(facts)
    if any(facts.get(f) is True for f in UNION_FACTS.get(jurisdiction, ())):
        return True
    if places is None:
        return True
    return any(related(pack.registry, code, jurisdiction, day) for code in places)


def binding_in(pack: Pack, code: str, day: dt.date) -> list[LoadedInstrument]:
    """Instruments whose jurisdiction is the place or contains it (US federal law binds in US-CA)."""
    return [
        inst
        for inst in pack.instruments.values()
        if inst.meta.instrument.jurisdiction != "INTL"
        and pack.registry.within(code, inst.meta.instrument.jurisdiction, day)
    ]


def narrowed(pack: Pack, codes: list[str], day: dt.date) -> list[str]:
    """Instrument ids relevant to any of the given jurisdictions (inside them or containing them)."""
    return [
        iid
        for iid, inst in pack.instruments.items()
        if any(related(pack.registry, code, inst.meta.instrument.jurisdiction, day) for code in codes)
    ]
