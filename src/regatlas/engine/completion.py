"""Blindness of three-valued logic: findings left unknown although every answer to their missing facts decides
them alike (a condition that repeats another's, `C && !C` with C unknown, or an if whose branches agree).

`blind_findings` evaluates every completion of an unknown finding's missing facts when they all have small
domains (yes/no, an enum, a set of at most five values; at most 64 completions). Rules are written so that this
finds nothing (tests/test_completion_blindness.py); tools/completion_check.py runs it over many profiles.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from ..facts.derive import derive_facts
from ..facts.profile import Profile
from ..rules.pack import Pack
from . import kleene
from .assess import assess, compiled_law

MAX_COMPLETIONS = 64
MAX_SET_VALUES = 5


def answer_domain(pack: Pack, fact_id: str, max_set_values: int = MAX_SET_VALUES) -> list | None:
    """Every answer a small-domain fact can take (yes/no, an enum's values, each subset of a set of at most
    `max_set_values` values); None for the others (numbers, dates, places, larger sets, facts not in the vocabulary).
    Also used by the look-ahead that ranks questions (engine/questions.py)."""
    fact = pack.vocabulary.facts.get(fact_id)
    if fact is None:
        return None
    if fact.type == "bool":
        return [True, False]
    if fact.type == "enum":
        return list(fact.values)
    if fact.type == "set" and fact.values and len(fact.values) <= max_set_values:
        return [frozenset(c) for r in range(len(fact.values) + 1) for c in itertools.combinations(fact.values, r)]
    return None


def blind_findings(pack: Pack, profile: Profile, day: dt.date) -> Iterator[tuple[str, list[str], str]]:
    """(finding key, its missing facts, the outcome every completion gives) for each blind finding."""
    for finding in assess(pack, profile, day).findings:
        if finding.outcome != "unknown" or not finding.missing:
            continue
        domains = [answer_domain(pack, fact) for fact in finding.missing]
        if any(d is None for d in domains) or len(list(itertools.product(*domains))) > MAX_COMPLETIONS:
            continue
        law = compiled_law(pack.instruments[finding.instrument_id], day)
        outcomes = set()
        for completion in itertools.product(*domains):
            facts = {**profile.facts, **dict(zip(finding.missing, completion, strict=True))}
            derived = derive_facts(facts, pack.vocabulary, pack.registry, day, "<completion>")
            outcomes.add(kleene.outcome(law.run(derived)[finding.rule_id][0]))
            if len(outcomes) > 1:
                break
        if len(outcomes) == 1 and outcomes != {"unknown"}:
            yield finding.key, finding.missing, outcomes.pop()
