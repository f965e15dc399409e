"""Find findings that Kleene logic leaves unknown although every answer to their missing facts decides them alike.

Usage:  .venv/bin/python tools/completion_check.py [--rows N] [--seed S] [--as-of YYYY-MM-DD]

For the bundled examples and N generated profiles, each unknown finding whose missing facts all have small
domains (yes/no, an enum, a set of at most five values; at most 64 completions) is evaluated under every
completion. If all completions give the same outcome, the rule is "blind" there (issue 9 item 3: a condition
that repeats another's, `C && !C` with C unknown, or facts correlated across rules): rewrite its condition so
three-valued logic sees what the law says. Prints one line per blind finding with the facts involved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

from regatlas.engine import kleene
from regatlas.engine.assess import assess, compiled_law
from regatlas.facts.derive import derive_facts
from regatlas.facts.profile import Profile, load_profile
from regatlas.rules.loader import load_pack
from regatlas.rules.pack import Pack
from regatlas.simulate.generate import generate_population
from regatlas.simulate.population import row_facts

ROOT = Path(__file__).resolve().parents[1]
MAX_COMPLETIONS = 64
MAX_SET_VALUES = 5


def _domain(pack: Pack, fact_id: str) -> list | None:
    fact = pack.vocabulary.facts.get(fact_id)
    if fact is None:
        return None
    if fact.type == "bool":
        return [True, False]
    if fact.type == "enum":
        return list(fact.values)
    if fact.type == "set" and fact.values and len(fact.values) <= MAX_SET_VALUES:
        return [frozenset(c) for r in range(len(fact.values) + 1) for c in itertools.combinations(fact.values, r)]
    return None


def _profiles(pack: Pack, rows: int, seed: int) -> Iterator[tuple[str, Profile]]:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        yield path.stem, load_profile(path, pack.vocabulary)
    frame = generate_population(pack, rows, seed)
    for index in range(frame.height):
        yield f"row {index}", Profile(name=f"row {index}", facts=row_facts(frame, index, pack.vocabulary))


def blind_findings(pack: Pack, profile: Profile, day: dt.date) -> Iterator[tuple[str, list[str], str]]:
    for finding in assess(pack, profile, day).findings:
        if finding.outcome != "unknown" or not finding.missing:
            continue
        domains = [_domain(pack, fact) for fact in finding.missing]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 12, 2))
    args = parser.parse_args()
    pack = load_pack(cache=True)
    seen: dict[str, tuple[str, list[str], str]] = {}
    for name, profile in _profiles(pack, args.rows, args.seed):
        for key, missing, outcome in blind_findings(pack, profile, args.as_of):
            seen.setdefault(key, (name, missing, outcome))
    for key, (name, missing, outcome) in sorted(seen.items()):
        print(f"{key}: always {outcome} for {name}, whatever {', '.join(missing)}")
    print(f"{len(seen)} blind findings")


if __name__ == "__main__":
    main()
