"""Issue 9 item 3: no finding is left unknown when every answer to its missing facts decides it alike.

Three-valued logic cannot see that `C && !C` is false, or that both branches of an if agree, while C is
unknown. The rules are written so that it does not have to; this test looks for the blindness over the bundled
examples and a seeded generated population, evaluating every completion of small-domain missing facts
(`tools/completion_check.py` runs the same check over as many generated profiles as you like)."""

from __future__ import annotations

import datetime as dt

from conftest import EXAMPLES, GOOD_RULE, write_pack

from regatlas.engine.completion import blind_findings
from regatlas.facts.profile import Profile, load_profile
from regatlas.rules.loader import load_pack
from regatlas.simulate.generate import generate_population
from regatlas.simulate.population import row_facts

DAY = dt.date(2026, 12, 2)


def test_no_finding_is_blind_for_the_examples_or_generated_profiles(pack):
    profiles = [load_profile(path, pack.vocabulary) for path in sorted(EXAMPLES.glob("*.yaml"))]
    frame = generate_population(pack, 12, 7)
    profiles += [Profile(name=f"row {i}", facts=row_facts(frame, i, pack.vocabulary)) for i in range(frame.height)]
    blind = {(p.name, key, outcome) for p in profiles for key, _, outcome in blind_findings(pack, p, DAY)}
    assert not blind, sorted(blind)[:10]


def test_the_check_finds_a_condition_that_repeats_its_negation(tmp_path):
    blind_rule = GOOD_RULE.replace(
        "when: system.is_ai_system", "when: system.is_ai_system && operator.public_authority && !system.is_ai_system"
    ).replace('expect: "yes"', 'expect: "no"')
    pack = load_pack(write_pack(tmp_path, blind_rule))
    profile = Profile(name="open", facts={"operator.public_authority": True})
    assert list(blind_findings(pack, profile, DAY)) == [
        ("eu_ai_act:good_rule", ["system.is_ai_system"], "no"),
    ]
