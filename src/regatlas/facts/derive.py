"""Facts that follow from other facts: "placed on the EU market" from the list of places offered.

Derivation depends on the date (union membership changes: the UK left the EU on 2020-01-31), so it
runs at assessment time. A profile that gives both a list and the yes/no fact must agree with itself.
"""

from __future__ import annotations

import datetime as dt

from ..errors import Problem, ProfileError
from ..jurisdictions.registry import Registry
from .vocabulary import Vocabulary


def derive_facts(facts: dict, vocabulary: Vocabulary, registry: Registry, day: dt.date, source: str) -> dict:
    derived = dict(facts)
    for fact in vocabulary.facts.values():
        if fact.derive_from is None or fact.derive_from not in facts:
            continue
        codes = facts[fact.derive_from]
        value = any(registry.within(code, fact.derive_within, day) for code in codes)  # type: ignore[arg-type]
        given = facts.get(fact.id)
        if given is not None and given != value:
            listed = ", ".join(sorted(codes)) or "nothing"
            raise ProfileError(
                Problem(
                    f"says {str(given).lower()}, but {fact.derive_from} lists {listed}, which "
                    f"{'includes' if value else 'does not include'} {fact.derive_within} on {day}",
                    source,
                    path=fact.id,
                    allowed=[f"leave {fact.id} out: it follows from {fact.derive_from}"],
                )
            )
        derived[fact.id] = value
    return derived
